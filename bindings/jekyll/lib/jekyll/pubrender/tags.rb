# frozen_string_literal: true

require 'liquid'
require_relative 'renderer'

module Jekyll
  module Pubrender
    # The site's Renderer, made on first use in a build.
    def self.renderer(site)
      @renderers ||= {}
      @renderers[site.object_id] ||= Renderer.new(site.source, site.config)
    end

    # A rendered page or document's output with the lists in place.
    def self.fill(site, output)
      r = (@renderers ||= {})[site.object_id]
      r && output ? r.fill(output) : output
    end

    # Jekyll's :site, :after_reset: every .bib is parsed again at most once.
    def self.reset(site)
      r = (@renderers ||= {}).delete(site.object_id)
      r&.reset
    end

    # Liquid in a tag's markup ({% bibliography -f {{ site.scholar.bibliography }} %}).
    module Markup
      def markup(context)
        @markup.include?('{') ? Liquid::Template.parse(@markup).render(context) : @markup
      end

      # The page depends on the .bib files (and _config.yml, the data
      # files): jekyll build --incremental and jekyll serve rebuild it
      # when one of them changes.
      def depend(context, renderer, args)
        site = context.registers[:site]
        page = context.registers[:page]
        return unless site.respond_to?(:regenerator) && page && page['path']
        path = site.in_source_dir(page['path'])
        renderer.files(args).each { |f| site.regenerator.add_dependency(path, f) }
      end
    end

    # {% bibliography [--file F] [--query Q] [--group_by G] [--group_order O] %}
    class BibliographyTag < Liquid::Tag
      include Markup

      def initialize(tag_name, markup, tokens)
        super
        @markup = markup.strip
      end

      def render(context)
        r = Pubrender.renderer(context.registers[:site])
        args = Renderer.parse_args(markup(context))
        html = r.bibliography(args)
        depend(context, r, args)
        r.place(html)
      end
    end

    # {% reference KEY [KEY...] %} and {% cite KEY [KEY...] %}: those entries,
    # as the list writes them, numbered from 1.
    class ReferenceTag < Liquid::Tag
      include Markup

      def initialize(tag_name, markup, tokens)
        super
        @markup = markup.strip
      end

      def render(context)
        words = Shellwords.split(markup(context))
        file = nil
        if (i = words.index { |w| %w[-f --file].include?(w) })
          file = words[i + 1]
          words.slice!(i, 2)
        end
        r = Pubrender.renderer(context.registers[:site])
        args = file ? { file: file } : {}
        html = r.entries(words, args)
        depend(context, r, args)
        r.place(html)
      end
    end
  end
end

Liquid::Template.register_tag('bibliography', Jekyll::Pubrender::BibliographyTag)
Liquid::Template.register_tag('reference', Jekyll::Pubrender::ReferenceTag)
Liquid::Template.register_tag('cite', Jekyll::Pubrender::ReferenceTag)
