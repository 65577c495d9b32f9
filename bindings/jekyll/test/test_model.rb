# frozen_string_literal: true

require_relative 'test_helper'

class TestModel < Minitest::Test
  include SiteHelper

  def test_groups_and_entries
    groups = renderer.model
    assert_equal(%w[2024 2023 2022], groups.map { |g| g['heading'] })
    metis = groups.first['entries'].first
    assert_equal 'pubrender-doe2024metis', metis['id']
    assert_equal 'doe2024metis', metis['key']
    assert_equal 1, metis['number']
    assert_equal '2024', metis['year']
    assert_equal 'Metis: Fast Lists from BibTeX', metis['title']
    assert_equal 'JT', metis['abbr']
    assert_equal 'https://journal.example.org/', metis['badge_url']
    assert_equal '#00369f', metis['badge_color']
    assert metis['selected']
    assert_equal '<em>Journal of Tests</em>, 2024', metis['venue_html']
  end

  def test_authors_owner_marks_links
    metis = renderer.model.first['entries'].first
    a = metis['authors']
    assert_equal ['Jane Doe', 'Richard Roe', 'Edgar Poe', 'Anna Moe', 'Bert Loe'], a.map { |x| x['name'] }
    assert_equal [true, false, false, false, false], a.map { |x| x['owner'] }
    assert_equal ['*', '*', '', '', ''], a.map { |x| x['marks'] }
    assert_equal 'https://roe.example.org/', a[1]['url']
    assert_equal [false, false, false, true, true], a.map { |x| x['hidden'] }
    assert_equal [%w[PDF /assets/pdf/metis.pdf], %w[Code https://example.org/metis],
                  %w[DOI https://doi.org/10.1000/metis]], metis['links'].map { |l| [l['label'], l['url']] }
    note = renderer.model.last['entries'].first
    assert_equal '/assets/img/publication_preview/note.png', note['preview']
    assert_equal 'A note on Ümlauts', note['title']
  end
end
