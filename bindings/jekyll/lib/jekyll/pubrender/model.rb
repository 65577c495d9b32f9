# frozen_string_literal: true

require_relative 'native'

module Jekyll
  module Pubrender
    # The display model (pr_list_build) as plain hashes and arrays that
    # Liquid reads as they are: groups with heading, level and entries; each
    # entry with id, key, number, year, title, venue (plain and _html),
    # authors (name, html, owner, marks, url, hidden, sep), links (label,
    # url), badge, preview and the other texts of pr_item_text.
    module Model
      module_function

      def build(bib, options)
        lp = FFI::MemoryPointer.new(:pointer)
        rep = Native.pr_report_new
        list = nil
        Native.with_error do |err|
          st = Native.pr_list_build(bib.ptr, options, lp, rep, err)
          raise BibError, "jekyll-pubrender: #{Native.error_text(err)}" unless st == Native::PR_OK
          Array.new(Native.pr_report_diag_count(rep)) { |i| yield Bib.diag(Native.pr_report_diag(rep, i)) } if block_given?
          list = lp.read_pointer
          groups(list)
        end
      ensure
        Native.pr_list_free(list) if list
        Native.pr_report_free(rep) if rep
      end

      def groups(list)
        Array.new(Native.pr_list_group_count(list)) do |g|
          { 'heading' => Native.str(Native.pr_list_group_heading(list, g)),
            'level' => Native.pr_list_group_level(list, g),
            'entries' => Array.new(Native.pr_list_group_item_count(list, g)) { |i| item(Native.pr_list_group_item(list, g, i)) } }
        end
      end

      def item(it)
        e = Native.pr_item_entry(it)
        h = { 'id' => Native.str(Native.pr_item_id(it)),
              'key' => Native.str(Native.pr_entry_key(e)),
              'type' => Native.str(Native.pr_entry_type(e)),
              'number' => Native.pr_item_number(it),
              'year' => Native.str(Native.pr_item_year_label(it)),
              'selected' => Native.pr_item_selected(it) == 1,
              'badge_url' => Native.str(Native.pr_item_badge_url(it)),
              'badge_color' => Native.str(Native.pr_item_badge_color(it)),
              'preview' => Native.str(Native.pr_item_preview(it)) }
        Native::ITEM_FIELDS.each_with_index do |f, i|
          h[f.to_s] = Native.str(Native.pr_item_text(it, i))
          h["#{f}_html"] = Native.str(Native.pr_item_html(it, i))
        end
        h['authors'] = Array.new(Native.pr_item_author_count(it)) do |i|
          { 'name' => Native.str(Native.pr_item_author_text(it, i)),
            'html' => Native.str(Native.pr_item_author_html(it, i)),
            'owner' => Native.pr_item_author_is_owner(it, i) == 1,
            'marks' => Native.str(Native.pr_item_author_marks(it, i)),
            'url' => Native.str(Native.pr_item_author_url(it, i)),
            'hidden' => Native.pr_item_author_hidden(it, i) == 1,
            'sep' => Native.str(Native.pr_item_author_sep(it, i)) }
        end
        h['links'] = Array.new(Native.pr_item_link_count(it)) do |i|
          { 'label' => Native.str(Native.pr_item_link_label(it, i)), 'url' => Native.str(Native.pr_item_link_url(it, i)) }
        end
        h
      end
    end
  end
end
