# frozen_string_literal: true

require_relative 'test_helper'
require 'json'

class TestModel < Minitest::Test
  include SiteHelper

  def test_groups_and_items
    groups = renderer.model
    assert_equal(%w[2024 2023 2022], groups.map { |g| g['heading'] })
    assert_equal([1, 2, 3], groups.map { |g| g['start'] })
    metis = groups.first['items'].first
    assert_equal 'pubrender-doe2024metis', metis['id']
    assert_equal 'doe2024metis', metis['key']
    assert_equal 1, metis['number']
    assert_equal '2024', metis['year']
    assert_equal 'Metis: Fast Lists from BibTeX', metis['title']
    assert_equal({ 'text' => 'JT', 'html' => 'JT', 'url' => 'https://journal.example.org/',
                   'color' => '#00369f', 'text_color' => '#fff' }, metis['badge'])
    assert metis['selected']
    assert_equal '<em>Journal of Tests</em>, 2024', metis['venue_html']
    assert_equal 2, metis['more_count']
    assert_equal 'and 2 more authors', metis['more_label']
    refute metis.key?('preview'), 'a member without a value is left out'
  end

  def test_authors_owner_marks_links
    metis = renderer.model.first['items'].first
    a = metis['authors']
    assert_equal ['Jane Doe', 'Richard Roe', 'Edgar Poe', 'Anna Moe', 'Bert Loe'], a.map { |x| x['name'] }
    assert_equal [true, false, false, false, false], a.map { |x| x['owner'] }
    assert_equal ['*', '*', '', '', ''], a.map { |x| x['marks'] }
    assert_equal 'https://roe.example.org/', a[1]['url']
    assert_equal [false, false, false, true, true], a.map { |x| x['hidden'] }
    assert_equal [%w[PDF /assets/pdf/metis.pdf], %w[Code https://example.org/metis],
                  %w[DOI https://doi.org/10.1000/metis]], metis['links'].map { |l| [l['label'], l['url']] }
    note = renderer.model.last['items'].first
    assert_equal '/assets/img/publication_preview/note.png', note['preview']
    assert_equal 'A note on Ümlauts', note['title']
  end

  # The same model as the CLI's --format view-json, member for member, for
  # our sites (PUBRENDER_CLI: the pubrender program; tests/jekyll_test.sh sets it).
  def test_equals_the_cli_view_json
    cli = ENV['PUBRENDER_CLI']
    skip 'PUBRENDER_CLI not set' unless cli && File.executable?(cli)
    sites = [SITE] + Dir[File.expand_path('../../../tests/sites/*', __dir__)]
    sites.each do |dir|
      json = IO.popen([cli, '--site', dir, '-f', 'view-json'], err: File::NULL, &:read)
      assert $?.success?, "pubrender --site #{dir}"
      assert_equal JSON.parse(json), renderer(dir).model, dir
    end
  end
end
