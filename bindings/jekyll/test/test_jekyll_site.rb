# frozen_string_literal: true

require_relative 'test_helper'

# The plugin inside Jekyll itself: Jekyll::Site#process, as jekyll build
# runs it once and jekyll serve again after each change.
class TestJekyllSite < Minitest::Test
  def with_copy
    Dir.mktmpdir do |dir|
      FileUtils.cp_r(SITE, File.join(dir, 'site'))
      yield File.join(dir, 'site'), File.join(dir, 'out')
    end
  end

  def site_for(src, dest)
    config = Jekyll.configuration('source' => src, 'destination' => dest, 'quiet' => true)
    Jekyll::Site.new(config)
  end

  def test_one_parse_per_build_and_a_new_one_after_a_change
    with_copy do |src, dest|
      site = site_for(src, dest)
      site.process
      r = Jekyll::Pubrender.renderer(site)
      # {% bibliography %} twice with other options, {% cite %}, site.data.pubrender
      assert_equal 1, r.cache.parses, 'one .bib, four users, one parse'
      page = File.read(File.join(dest, 'publications', 'index.html'))
      assert_includes page, '>Written second</div>'
      bib = File.join(src, '_bibliography', 'papers.bib')
      File.write(bib, File.read(bib).sub('Written second', 'Written anew'))
      site.process # what jekyll serve does after a change: reset, read, render
      refute_same r, Jekyll::Pubrender.renderer(site), 'after_reset: a new renderer'
      assert_equal 0, r.cache.size, 'the old parse is freed'
      assert_equal 1, Jekyll::Pubrender.renderer(site).cache.parses
      assert_includes File.read(File.join(dest, 'publications', 'index.html')), '>Written anew</div>'
    end
  end

  def test_a_site_without_bibliography_tags_reads_no_bib
    with_copy do |src, dest|
      Dir[File.join(src, '_pages', '*')].each { |f| File.delete(f) unless f.end_with?('colophon.md') }
      FileUtils.rm_rf(File.join(src, '_posts'))
      site = site_for(src, dest)
      site.process
      assert_equal 0, Jekyll::Pubrender.renderer(site).cache.parses
      assert File.exist?(File.join(dest, 'colophon', 'index.html'))
    end
  end
end
