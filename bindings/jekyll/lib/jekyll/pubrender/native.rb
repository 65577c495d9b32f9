# frozen_string_literal: true

require 'ffi'
require_relative 'version'

module Jekyll
  module Pubrender
    # Raised when libpubrender cannot be found or is not the version the gem expects.
    class LibraryError < StandardError; end

    # libpubrender through ruby-ffi: every parameter and result a pointer or
    # an integer (no struct is mirrored; pr_error is allocated by the library).
    module Native
      extend FFI::Library

      PR_OK = 0
      PR_ERR_IO = 2
      PR_ERROR = 2 # pr_severity
      FORMAT_HTML = 0

      # Where the library is looked for, in order: PUBRENDER_LIB, the build
      # tree beside this gem (build/ of the source tree, for tests and a
      # checkout), then the system's (the ld.so search path).
      def self.candidates(env = ENV)
        list = []
        list << env['PUBRENDER_LIB'] if env['PUBRENDER_LIB'] && !env['PUBRENDER_LIB'].empty?
        root = File.expand_path('../../../../..', __dir__)
        tree = File.join(root, 'build', 'libpubrender.so')
        list << tree if File.exist?(tree)
        major = LIBRARY_VERSION.split('.').first
        list << "libpubrender.so.#{major}" << 'libpubrender.so'
        list
      end

      # nil when the run-time version fits LIBRARY_VERSION, else why not.
      def self.version_problem(found, expected = LIBRARY_VERSION)
        f = found.to_s.split('.').map(&:to_i)
        e = expected.split('.').map(&:to_i)
        return nil if found.to_s.match?(/\A\d+\.\d+\.\d+/) && f[0] == e[0] && f[1] == e[1] && f[2] >= e[2]
        "libpubrender #{found.inspect} found, jekyll-pubrender #{VERSION} needs #{expected} " \
          "(the same major.minor, a patch at least #{e[2]})"
      end

      def self.load!
        tried = candidates
        begin
          # PUBRENDER_LIB, when set, is the only one tried.
          ffi_lib(ENV['PUBRENDER_LIB'].to_s.empty? ? tried : [tried.first])
        rescue LoadError => e
          raise LibraryError, "jekyll-pubrender: libpubrender not found (tried #{tried.join(', ')}; " \
                              "install it, or set PUBRENDER_LIB to its path): #{e.message}"
        end
        attach_function :pr_version_string, [], :string
        problem = version_problem(pr_version_string)
        raise LibraryError, "jekyll-pubrender: #{problem} (#{ffi_libraries.map(&:name).join(', ')})" if problem

        attach_all
      end

      FUNCTIONS = {
        pr_free: [[:pointer], :void],
        pr_error_new: [[], :pointer], pr_error_free: [[:pointer], :void],
        pr_error_format: [%i[pointer pointer size_t], :pointer],
        pr_error_code: [[:pointer], :int],
        pr_bib_new: [[], :pointer], pr_bib_free: [[:pointer], :void],
        pr_bib_add_file: [%i[pointer string pointer], :int],
        pr_bib_set_string_scope: [%i[pointer int], :int],
        pr_bib_count: [[:pointer], :size_t], pr_bib_entry: [%i[pointer size_t], :pointer],
        pr_bib_find: [%i[pointer string], :pointer],
        pr_bib_diag_count: [[:pointer], :size_t], pr_bib_diag: [%i[pointer size_t], :pointer],
        pr_bib_error_count: [[:pointer], :size_t],
        pr_diag_severity: [[:pointer], :int], pr_diag_file: [[:pointer], :pointer],
        pr_diag_line: [[:pointer], :uint], pr_diag_column: [[:pointer], :uint],
        pr_diag_message: [[:pointer], :pointer],
        pr_diag_code: [[:pointer], :pointer], pr_diag_key: [[:pointer], :pointer],
        pr_entry_key: [[:pointer], :pointer], pr_entry_id: [[:pointer], :pointer],
        pr_entry_type: [[:pointer], :pointer],
        pr_options_new: [[], :pointer], pr_options_free: [[:pointer], :void],
        pr_options_set_format: [%i[pointer int], :int],
        pr_options_set_query: [%i[pointer string pointer], :int],
        pr_options_set_group_by: [%i[pointer string pointer], :int],
        pr_options_set_group_order: [%i[pointer int], :int],
        pr_options_set_max_authors: [%i[pointer int], :int],
        pr_options_set_threads: [%i[pointer uint], :int],
        pr_options_add_highlight: [%i[pointer string], :int],
        pr_options_file_count: [[:pointer], :size_t], pr_options_file: [%i[pointer size_t], :pointer],
        pr_site_load: [%i[pointer string pointer pointer], :int],
        pr_site_bib_count: [[:pointer], :size_t], pr_site_bib: [%i[pointer size_t], :pointer],
        pr_site_diag_count: [[:pointer], :size_t], pr_site_diag: [%i[pointer size_t], :pointer],
        pr_site_free: [[:pointer], :void],
        pr_report_new: [[], :pointer], pr_report_free: [[:pointer], :void],
        pr_report_diag_count: [[:pointer], :size_t], pr_report_diag: [%i[pointer size_t], :pointer],
        pr_render_string: [%i[pointer pointer pointer pointer pointer pointer], :int],
        pr_render_entries: [%i[pointer pointer pointer size_t pointer pointer pointer pointer], :int],
        pr_list_build: [%i[pointer pointer pointer pointer pointer], :int],
        pr_list_free: [[:pointer], :void],
        pr_list_group_count: [[:pointer], :size_t], pr_list_group_heading: [%i[pointer size_t], :pointer],
        pr_list_group_level: [%i[pointer size_t], :int],
        pr_list_group_start: [%i[pointer size_t], :size_t],
        pr_list_group_item_count: [%i[pointer size_t], :size_t],
        pr_list_group_item: [%i[pointer size_t size_t], :pointer],
        pr_item_entry: [[:pointer], :pointer], pr_item_id: [[:pointer], :pointer],
        pr_item_number: [[:pointer], :size_t], pr_item_year_label: [[:pointer], :pointer],
        pr_item_marker: [[:pointer], :pointer], pr_item_more_count: [[:pointer], :size_t],
        pr_item_badge_text_color: [[:pointer], :pointer],
        pr_item_author_cut: [%i[pointer size_t], :size_t],
        pr_item_author_cut_label: [%i[pointer size_t], :pointer],
        pr_item_author_cut_sep: [%i[pointer size_t], :pointer],
        pr_item_selected: [[:pointer], :int],
        pr_item_text: [%i[pointer int], :pointer], pr_item_html: [%i[pointer int], :pointer],
        pr_item_badge_url: [[:pointer], :pointer], pr_item_badge_color: [[:pointer], :pointer],
        pr_item_preview: [[:pointer], :pointer],
        pr_item_author_count: [[:pointer], :size_t],
        pr_item_author_text: [%i[pointer size_t], :pointer],
        pr_item_author_html: [%i[pointer size_t], :pointer],
        pr_item_author_is_owner: [%i[pointer size_t], :int],
        pr_item_author_marks: [%i[pointer size_t], :pointer],
        pr_item_author_url: [%i[pointer size_t], :pointer],
        pr_item_author_hidden: [%i[pointer size_t], :int],
        pr_item_author_sep: [%i[pointer size_t], :pointer],
        pr_item_link_count: [[:pointer], :size_t],
        pr_item_link_label: [%i[pointer size_t], :pointer],
        pr_item_link_url: [%i[pointer size_t], :pointer]
      }.freeze

      def self.attach_all
        FUNCTIONS.each { |name, (args, ret)| attach_function name, args, ret }
      end

      # A borrowed C string as UTF-8 (nil for NULL).
      def self.str(ptr)
        ptr.null? ? nil : ptr.read_string.force_encoding(Encoding::UTF_8)
      end

      # An owned C string (from *out): read, then pr_free.
      def self.take(ptr)
        return nil if ptr.null?
        s = ptr.read_string.force_encoding(Encoding::UTF_8)
        pr_free(ptr)
        s
      end

      # err formatted as "source:line:column: error: message".
      def self.error_text(err)
        buf = FFI::MemoryPointer.new(:char, 1024)
        pr_error_format(err, buf, 1024)
        buf.read_string.force_encoding(Encoding::UTF_8)
      end

      # Calls the block with a fresh pr_error, freed after.
      def self.with_error
        err = pr_error_new
        raise NoMemoryError, 'pr_error_new' if err.null?
        yield err
      ensure
        pr_error_free(err) if err
      end

      load!
    end
  end
end
