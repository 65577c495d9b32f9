# frozen_string_literal: true

require_relative 'test_helper'

class TestRenderer < Minitest::Test
  include SiteHelper
  R = Jekyll::Pubrender::Renderer

  def test_tag_options
    assert_equal({ file: 'papers', query: '@*[selected=true]*', group_by: 'none', group_order: 'descending' },
                 R.parse_args('-f papers --query @*[selected=true]* --group_by=none --group_order descending'))
    assert_equal({ query: '@article[year>=2020]' }, R.parse_args('-q "@article[year>=2020]"'))
    assert_equal({}, R.parse_args(''))
    e = assert_raises(ArgumentError) { R.parse_args('--style apa') }
    assert_match(/unknown option "--style"/, e.message)
    assert_raises(ArgumentError) { R.parse_args('--query') }
  end

  def ids(html) = html.scan(/id="pubrender-([^"]+)"/).flatten

  def test_the_site_list_follows_scholar_settings
    html = renderer.bibliography
    assert_equal %w[doe2024metis roe2023 doe2022note], ids(html)
    assert_equal %w[2024 2023 2022], html.scan(%r{<h2[^>]*>(\d+)</h2>}).flatten
    assert_includes html, '<strong class="pubrender-me">Jane Doe</strong><sup class="pubrender-mark">*</sup>'
    assert_includes html, '<strong class="pubrender-me">J. Doe</strong>'
    assert_includes html, 'and 2 more authors' # max_author_limit: 3
    assert_includes html, 'href="/assets/pdf/metis.pdf">PDF</a>'
  end

  def test_tag_options_override_the_site
    r = renderer
    assert_equal %w[doe2024metis], ids(r.bibliography(query: '@*[selected=true]*', group_by: 'none'))
    asc = r.bibliography(group_order: 'ascending')
    assert_equal %w[2022 2023 2024], asc.scan(%r{<h2[^>]*>(\d+)</h2>}).flatten
    assert_equal %w[doe2024metis roe2023 doe2022note], ids(r.bibliography(file: 'papers', group_by: 'none'))
    assert_equal 1, r.cache.parses, 'one .bib, one parse for all four tags'
  end

  def test_entries_by_key_in_the_order_given
    log = FakeLogger.new
    r = renderer(SITE, log)
    assert_equal %w[doe2022note doe2024metis], ids(r.entries(%w[doe2022note DOE2024METIS]))
    assert_equal %w[roe2023], ids(r.entries(%w[nosuchkey roe2023]))
    assert_equal 1, log.warnings.size
    assert_match(/papers.bib: no entry with key 'nosuchkey'/, log.warnings.first)
  end

  def test_parsed_once_and_again_after_a_change_or_a_reset
    with_site("scholar:\n  bibliography: papers.bib\n", "@misc{a, title = {One}, year = 2020}\n") do |dir|
      r = renderer(dir)
      3.times { r.bibliography }
      assert_equal 1, r.cache.parses
      bib = File.join(dir, '_bibliography', 'papers.bib')
      File.write(bib, "@misc{a, title = {One}, year = 2020}\n@misc{b, title = {Two}, year = 2021}\n")
      File.utime(Time.now + 5, Time.now + 5, bib)
      assert_equal %w[a b], ids(r.bibliography) # sort_by none: the file's order
      assert_equal 2, r.cache.parses
      assert_equal 1, r.cache.size, 'the old parse is dropped'
      r.reset
      assert_equal 0, r.cache.size
      r.bibliography
      assert_equal 3, r.cache.parses
    end
  end

  BROKEN = "@misc{good, title = {Fine}, year = 2020}\n\n@misc{bad, title = {Open, year = 2021}\n" \
           "@misc{undef, title = nomacro, year = 2019}\n"

  def test_bib_problems_go_to_the_logger_with_file_and_line
    with_site("scholar:\n  bibliography: papers.bib\n", BROKEN) do |dir|
      log = FakeLogger.new
      r = renderer(dir, log)
      html = r.bibliography
      assert_includes ids(html), 'good'
      refute_empty log.warnings
      log.warnings.each { |w| assert_match(%r{\APubrender: #{Regexp.escape(dir)}/_bibliography/papers.bib:\d+: (error|warning): }, w) }
      assert(log.warnings.any? { |w| w.include?('papers.bib:4: error:') && w.include?("entry 'bad' skipped") }, log.warnings.inspect)
      r.bibliography
      assert_equal log.warnings.size, log.warnings.uniq.size, 'each problem told once per parse'
    end
  end

  def test_strict_fails_on_a_broken_bib_only
    with_site("scholar:\n  bibliography: papers.bib\npubrender:\n  strict: true\n", BROKEN) do |dir|
      e = assert_raises(Jekyll::Pubrender::BibError) { renderer(dir).bibliography }
      assert_match(/papers.bib: \d+ error\(s\) in the BibTeX \(pubrender: strict: true\)/, e.message)
    end
    with_site("scholar:\n  bibliography: papers.bib\npubrender:\n  strict: true\n",
              "@misc{good, title = {Fine}, year = 2020}\n") do |dir|
      assert_equal %w[good], ids(renderer(dir).bibliography)
    end
  end

  def test_a_bad_config_value_names_file_and_line
    with_site("scholar:\n  bibliography: papers.bib\n  query: \"@*[year=\"\n", "@misc{a, year = 2020}\n") do |dir|
      e = assert_raises(Jekyll::Pubrender::BibError) { renderer(dir).bibliography }
      assert_match(%r{_config.yml:3:\d+: error: }, e.message)
    end
  end

  def test_a_missing_bib_warns_unless_strict
    with_site("scholar:\n  bibliography: other.bib\n", "@misc{a, year = 2020}\n") do |dir|
      log = FakeLogger.new
      assert_equal [], ids(renderer(dir, log).bibliography)
      assert_equal 1, log.warnings.size
      assert_match(/_config.yml:2:\d+: error: .*other.bib/, log.warnings.first)
    end
    with_site("scholar:\n  bibliography: other.bib\npubrender:\n  strict: true\n", "@misc{a, year = 2020}\n") do |dir|
      e = assert_raises(Jekyll::Pubrender::BibError) { renderer(dir).bibliography }
      assert_match(/_config.yml:2:\d+: error: .*other.bib.*strict: true/, e.message)
    end
  end
end

class TestRendererFiles < Minitest::Test
  include SiteHelper

  def test_the_files_a_list_is_made_from
    f = renderer.files
    assert_equal [File.join(SITE, '_bibliography', 'papers.bib'), File.join(SITE, '_config.yml'),
                  File.join(SITE, '_data', 'venues.yml'), File.join(SITE, '_data', 'coauthors.yml')],
                 f.map { |p| File.expand_path(p) }
  end
end

# pubrender: string_scope (README "@string scope"): the .bib files of
# scholar: bibliography read in order, a file seeing the @string macros of
# those before it; string_scope: file keeps each file's to itself.
class TestRendererStringScope < Minitest::Test
  include SiteHelper

  def venue(html) = html[%r{<div class="pubrender-venue">(.*?)</div>}, 1]

  def with_two(extra)
    config = "scholar:\n  bibliography: [abbrev.bib, papers.bib]\n#{extra}"
    with_site(config, "@inproceedings{p, title = {P}, booktitle = conf, year = 2020}\n") do |dir|
      File.write(File.join(dir, '_bibliography', 'abbrev.bib'), "@string{conf = {Conference On Macros}}\n")
      yield dir
    end
  end

  def test_shared_by_default
    with_two('') do |dir|
      log = FakeLogger.new
      assert_equal 'In <em>Conference On Macros</em>, 2020', venue(renderer(dir, log).bibliography)
      assert_equal [], log.warnings
    end
    with_two("pubrender:\n  string_scope: shared\n") do |dir|
      assert_equal 'In <em>Conference On Macros</em>, 2020', venue(renderer(dir).bibliography)
    end
  end

  def test_per_file
    with_two("pubrender:\n  string_scope: file\n") do |dir|
      log = FakeLogger.new
      assert_equal 'In <em>conf</em>, 2020', venue(renderer(dir, log).bibliography)
      assert_equal 1, log.warnings.size
      assert_match(/papers.bib:1: warning: .*undefined macro 'conf'/, log.warnings.first)
    end
    with_two("pubrender:\n  string_scope: global\n") do |dir|
      e = assert_raises(Jekyll::Pubrender::BibError) { renderer(dir).bibliography }
      assert_match(/string_scope must be shared or file, not "global"/, e.message)
    end
  end
end
