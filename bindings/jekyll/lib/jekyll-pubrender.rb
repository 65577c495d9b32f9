# frozen_string_literal: true

# jekyll-pubrender: jekyll-scholar's {% bibliography %}, {% cite %} and
# {% reference %} on libpubrender, reading the site's scholar: settings.
require 'jekyll'
require_relative 'jekyll/pubrender/version'
require_relative 'jekyll/pubrender/native'
require_relative 'jekyll/pubrender/tags'

module Jekyll
  module Pubrender
    # site.data.pubrender: the display model of the site's list (as
    # {% bibliography %} with no option shows it), built when a page first
    # reads it: groups (View JSON's groups) and items (all, in display order).
    class ListDrop < Liquid::Drop
      def initialize(site)
        super()
        @site = site
      end

      def groups = (@groups ||= Pubrender.renderer(@site).model)
      def items = groups.flat_map { |g| g['items'] }
    end
  end
end

Jekyll::Hooks.register :site, :after_reset do |site|
  Jekyll::Pubrender.reset(site)
end

Jekyll::Hooks.register :site, :post_read do |site|
  site.data['pubrender'] = Jekyll::Pubrender::ListDrop.new(site)
end

# The tags leave a placeholder that the converter (kramdown) passes by; the
# HTML goes in once the page is rendered, layouts included.
Jekyll::Hooks.register %i[pages documents], :post_render do |doc|
  doc.output = Jekyll::Pubrender.fill(doc.site, doc.output)
end
