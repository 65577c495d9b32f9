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
    end

    # {% bibliography [--file F] [--query Q] [--group_by G] [--group_order O] %}
    class BibliographyTag < Liquid::Tag
      include Markup

      def initialize(tag_name, markup, tokens)
        super
        @markup = markup.strip
      end

      def render(context)
        site = context.registers[:site]
        Pubrender.renderer(site).bibliography(Renderer.parse_args(markup(context)))
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
        Pubrender.renderer(context.registers[:site]).entries(words, file ? { file: file } : {})
      end
    end
  end
end

Liquid::Template.register_tag('bibliography', Jekyll::Pubrender::BibliographyTag)
Liquid::Template.register_tag('reference', Jekyll::Pubrender::ReferenceTag)
Liquid::Template.register_tag('cite', Jekyll::Pubrender::ReferenceTag)
