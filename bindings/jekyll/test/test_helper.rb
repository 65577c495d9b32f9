# frozen_string_literal: true

# Run: PUBRENDER_LIB=build/libpubrender.so ruby -Ilib -Itest test/test_all.rb
# (with an ASan build, LD_PRELOAD its runtime as tests/jekyll_test.sh does).
require 'minitest/autorun'
require 'tmpdir'
require 'fileutils'
require 'jekyll-pubrender'

SITE = File.expand_path('../../../tests/jekyll-site', __dir__)

# Jekyll.logger's warn(topic, message), kept.
class FakeLogger
  attr_reader :warnings

  def initialize = @warnings = []
  def warn(topic, msg) = @warnings << "#{topic} #{msg}"
end

module SiteHelper
  def config_of(dir) = YAML.safe_load(File.read(File.join(dir, '_config.yml')))

  def renderer(dir = SITE, logger = FakeLogger.new)
    Jekyll::Pubrender::Renderer.new(dir, config_of(dir), logger: logger)
  end

  # A site of its own in a temporary directory: _config.yml and papers.bib.
  def with_site(config, bib)
    Dir.mktmpdir do |dir|
      FileUtils.mkdir_p(File.join(dir, '_bibliography'))
      File.write(File.join(dir, '_config.yml'), config)
      File.write(File.join(dir, '_bibliography', 'papers.bib'), bib)
      yield dir
    end
  end
end
