# frozen_string_literal: true

require_relative 'lib/jekyll/pubrender/version'

Gem::Specification.new do |s|
  s.name = 'jekyll-pubrender'
  s.version = Jekyll::Pubrender::VERSION
  s.summary = "jekyll-scholar's {% bibliography %} on libpubrender: publication lists from BibTeX"
  s.description = 'A Jekyll plugin that renders an al-folio site\'s .bib files with libpubrender ' \
                  '(through ruby-ffi), reading the scholar: section of _config.yml.'
  s.authors = ['pubrender authors']
  s.files = Dir['lib/**/*.rb'] + ['jekyll-pubrender.gemspec']
  s.require_paths = ['lib']
  s.required_ruby_version = '>= 3.0'
  s.add_runtime_dependency 'ffi', '>= 1.15'
  s.add_runtime_dependency 'jekyll', '>= 4.3', '< 5'
  s.add_development_dependency 'minitest', '>= 5'
  s.requirements << "libpubrender #{Jekyll::Pubrender::LIBRARY_VERSION} (libpubrender.so.0)"
end
