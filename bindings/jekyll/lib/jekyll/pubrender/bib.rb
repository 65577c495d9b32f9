# frozen_string_literal: true

require_relative 'native'

module Jekyll
  module Pubrender
    # Raised for a broken .bib when the site asks for strict: true.
    class BibError < StandardError; end

    # One parsed bibliography (a pr_bib of one or more .bib files) and its
    # parse diagnostics as plain values.
    class Bib
      Diag = Struct.new(:severity, :file, :line, :column, :code, :key, :message) do
        def error? = severity == :error
        # "file:line[:column]: error: message", as pubrender prints it.
        def to_s = "#{file}:#{line}#{column.positive? ? ":#{column}" : ''}: #{severity}: #{message}"
      end

      attr_reader :paths, :ptr, :diags

      # pr_string_scope by its pubrender: string_scope name (README "@string scope").
      STRING_SCOPES = { 'shared' => 0, 'file' => 1 }.freeze

      # paths read in order into one pr_bib; string_scope 'shared' (a file
      # sees the @string macros of the files before it) or 'file'.
      def initialize(paths, string_scope = 'shared')
        @paths = paths
        scope = STRING_SCOPES.fetch(string_scope) do
          raise BibError, "jekyll-pubrender: pubrender: string_scope must be shared or file, not #{string_scope.inspect}"
        end
        @ptr = Native.pr_bib_new
        raise NoMemoryError, 'pr_bib_new' if @ptr.null?
        Native.pr_bib_set_string_scope(@ptr, scope)
        Native.with_error do |err|
          paths.each do |path|
            next if Native.pr_bib_add_file(@ptr, path, err) == Native::PR_OK
            msg = Native.error_text(err)
            free
            raise BibError, msg
          end
        end
        @diags = Array.new(Native.pr_bib_diag_count(@ptr)) { |i| Bib.diag(Native.pr_bib_diag(@ptr, i)) }
      end

      def self.diag(d)
        Diag.new(Native.pr_diag_severity(d) == Native::PR_ERROR ? :error : :warning,
                 Native.str(Native.pr_diag_file(d)), Native.pr_diag_line(d), Native.pr_diag_column(d),
                 Native.str(Native.pr_diag_code(d)), Native.str(Native.pr_diag_key(d)),
                 Native.str(Native.pr_diag_message(d)))
      end

      def error_count = Native.pr_bib_error_count(@ptr)
      def count = Native.pr_bib_count(@ptr)

      # The entry for key (case-insensitive), or nil.
      def find(key)
        e = Native.pr_bib_find(@ptr, key)
        e.null? ? nil : e
      end

      def free
        Native.pr_bib_free(@ptr) if @ptr && !@ptr.null?
        @ptr = nil
      end
    end

    # Every .bib set parsed once per build: keyed by the paths and their
    # mtimes, emptied when Jekyll resets the site (each build, each
    # rebuild of jekyll serve).
    class BibCache
      attr_reader :parses

      def initialize
        @bibs = {}
        @parses = 0
      end

      # The Bib for paths; a new parse when one of them changed. The block,
      # when given, is called with each new Bib (for its diagnostics).
      def fetch(paths, string_scope = 'shared')
        key = paths.map { |p| [p, File.mtime(p).to_r, File.size(p)] } << string_scope
        bib = @bibs[key]
        return bib if bib
        @bibs.delete_if { |k, b| k[0...-1].map(&:first) == paths && (b.free || true) }
        bib = Bib.new(paths, string_scope)
        @parses += 1
        @bibs[key] = bib
        yield bib if block_given?
        bib
      end

      def reset
        @bibs.each_value(&:free)
        @bibs.clear
      end

      def size = @bibs.size
    end
  end
end
