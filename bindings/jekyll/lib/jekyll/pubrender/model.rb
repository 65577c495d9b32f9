# frozen_string_literal: true

require_relative 'native'

module Jekyll
  module Pubrender
    # The display model (pr_list_build) as plain hashes and arrays that
    # Liquid reads as they are, with the members of pubrender's View JSON
    # (README: "View JSON"; docs/view-json.schema.json): groups with
    # heading, level, start and items; each item with key, id, number,
    # marker, type, year, selected, title(_html), badge, authors (name,
    # name_html, owner, marks, url, hidden, sep, cut), more_count,
    # venue(_html), legend(_html), links (label, url), preview, ... A
    # member the entry has no value for is left out, as View JSON does.
    module Model
      module_function

      # The groups, each diagnostic of building given to the block.
      def build(bib, options, &on_diag)
        lp = FFI::MemoryPointer.new(:pointer)
        rep = Native.pr_report_new
        list = nil
        Native.with_error do |err|
          st = Native.pr_list_build(bib.ptr, options, lp, rep, err)
          list = lp.read_pointer
          Array.new(Native.pr_report_diag_count(rep)) { |i| Bib.diag(Native.pr_report_diag(rep, i)) }.each(&on_diag) if on_diag
          raise BibError, "jekyll-pubrender: #{Native.error_text(err)}" unless st == Native::PR_OK
          groups(list)
        end
      ensure
        Native.pr_list_free(list) if list && !list.null?
        Native.pr_report_free(rep) if rep
      end

      def groups(list)
        Array.new(Native.pr_list_group_count(list)) do |g|
          compact('heading' => Native.str(Native.pr_list_group_heading(list, g)),
                  'level' => Native.pr_list_group_level(list, g),
                  'start' => Native.pr_list_group_start(list, g),
                  'items' => Array.new(Native.pr_list_group_item_count(list, g)) { |i| item(Native.pr_list_group_item(list, g, i)) })
        end
      end

      def compact(h) = h.reject { |_, v| v.nil? }

      # Text members in View JSON's order: [member, pr_item_field].
      TEXTS = [%w[role 4], %w[more_label 5], %w[legend 3], %w[venue 2], %w[additional_info 6],
               %w[note 7]].freeze
      LATE_TEXTS = [%w[award 8], %w[award_name 9], %w[abstract 10], %w[bibtex 11]].freeze

      def texts(it, list, h)
        list.each do |name, f|
          next unless (t = Native.str(Native.pr_item_text(it, f.to_i)))
          h[name] = t
          h["#{name}_html"] = Native.str(Native.pr_item_html(it, f.to_i)) unless name == 'more_label'
        end
      end

      def item(it)
        e = Native.pr_item_entry(it)
        h = compact('key' => Native.str(Native.pr_entry_key(e)), 'id' => Native.str(Native.pr_item_id(it)),
                    'number' => Native.pr_item_number(it), 'marker' => Native.str(Native.pr_item_marker(it)),
                    'type' => Native.str(Native.pr_entry_type(e)),
                    'year' => Native.str(Native.pr_item_year_label(it)),
                    'selected' => Native.pr_item_selected(it) == 1,
                    'title' => Native.str(Native.pr_item_text(it, 0)),
                    'title_html' => Native.str(Native.pr_item_html(it, 0)))
        if (abbr = Native.str(Native.pr_item_text(it, 1)))
          h['badge'] = compact('text' => abbr, 'html' => Native.str(Native.pr_item_html(it, 1)),
                               'url' => Native.str(Native.pr_item_badge_url(it)),
                               'color' => Native.str(Native.pr_item_badge_color(it)),
                               'text_color' => Native.str(Native.pr_item_badge_text_color(it)))
        end
        h['authors'] = Array.new(Native.pr_item_author_count(it)) { |i| author(it, i) }
        h['more_count'] = Native.pr_item_more_count(it)
        texts(it, TEXTS, h)
        h['links'] = Array.new(Native.pr_item_link_count(it)) do |i|
          { 'label' => Native.str(Native.pr_item_link_label(it, i)), 'url' => Native.str(Native.pr_item_link_url(it, i)) }
        end
        h['preview'] = Native.str(Native.pr_item_preview(it))
        texts(it, LATE_TEXTS, h)
        compact(h)
      end

      def author(it, i)
        compact('name' => Native.str(Native.pr_item_author_text(it, i)),
                'name_html' => Native.str(Native.pr_item_author_html(it, i)),
                'owner' => Native.pr_item_author_is_owner(it, i) == 1,
                'marks' => Native.str(Native.pr_item_author_marks(it, i)),
                'url' => Native.str(Native.pr_item_author_url(it, i)),
                'hidden' => Native.pr_item_author_hidden(it, i) == 1,
                'sep' => Native.str(Native.pr_item_author_sep(it, i)),
                'cut' => Native.pr_item_author_cut(it, i),
                'cut_label' => Native.str(Native.pr_item_author_cut_label(it, i)),
                'cut_sep' => Native.str(Native.pr_item_author_cut_sep(it, i)))
      end
    end
  end
end
