# frozen_string_literal: true

require 'shellwords'
require_relative 'bib'
require_relative 'model'

module Jekyll
  module Pubrender
    # A site's pubrender state for one build: options from its _config.yml
    # (pr_site_load on the site's source directory) with a tag's options on
    # top, the .bib cache, and what goes to Jekyll.logger.
    class Renderer
      TAG_OPTIONS = {
        '--file' => :file, '-f' => :file, '--query' => :query, '-q' => :query,
        '--group_by' => :group_by, '-G' => :group_by, '--group_order' => :group_order,
        '-O' => :group_order
      }.freeze

      attr_reader :cache, :source, :logger

      def initialize(source, config, logger: Jekyll.logger)
        @source = source
        @config = config
        @logger = logger
        @cache = BibCache.new
        @options = {}
        @placed = []
        @token = Random.new.bytes(6).unpack1('H*')
      end

      # A placeholder for html, put back by fill once the page is rendered:
      # kramdown then never reads the list (it would take seconds to parse
      # thousands of entries of HTML in a Markdown page, and rewrite it).
      def place(html)
        @placed << html
        "<!-- pubrender:#{@token}:#{@placed.size - 1} -->"
      end

      # output with every placeholder of this build replaced by its HTML.
      def fill(output)
        return output unless output.include?("<!-- pubrender:#{@token}:")
        output.gsub(/<!-- pubrender:#{@token}:(\d+) -->/) { @placed[Regexp.last_match(1).to_i] || '' }
      end

      def strict? = @config.fetch('pubrender', nil).is_a?(Hash) && @config['pubrender']['strict'] == true

      # pubrender: string_scope: shared (the default) or file.
      def string_scope
        p = @config.fetch('pubrender', nil)
        p.is_a?(Hash) && p.key?('string_scope') ? p['string_scope'].to_s : 'shared'
      end

      # The tag's words as a hash (:file, :query, :group_by, :group_order).
      def self.parse_args(text)
        words = Shellwords.split(text.to_s)
        args = {}
        until words.empty?
          w = words.shift
          name, value = w.start_with?('--') && w.include?('=') ? w.split('=', 2) : [w, nil]
          opt = TAG_OPTIONS[name]
          raise ArgumentError, "bibliography: unknown option #{w.inspect}" unless opt
          value ||= words.shift
          raise ArgumentError, "bibliography: #{name} needs a value" if value.nil?
          args[opt] = value
        end
        args
      end

      # [options pointer, .bib paths] for a tag's args, cached per build.
      def options(args = {})
        @options[args] ||= build_options(args)
      end

      # The HTML fragment of the list for a {% bibliography %} tag.
      def bibliography(args = {})
        o, paths = options(args)
        bib = bib(paths)
        render { |out, len, rep, err| Native.pr_render_string(bib.ptr, o, out, len, rep, err) }
      end

      # The HTML of the entries with these keys, in this order (cite, reference).
      def entries(keys, args = {})
        o, paths = options(args)
        bib = bib(paths)
        found = keys.map do |k|
          e = bib.find(k)
          warn_or_fail("#{paths.join(', ')}: no entry with key '#{k}'") unless e
          e
        end.compact
        v = FFI::MemoryPointer.new(:pointer, [found.size, 1].max)
        v.write_array_of_pointer(found)
        sink_out = +''
        sink = FFI::Function.new(:int, %i[pointer size_t pointer]) { |p, n, _| sink_out << p.read_bytes(n); 0 }
        render_call do |rep, err|
          Native.pr_render_entries(bib.ptr, o, v, found.size, sink, nil, rep, err)
        end
        sink_out.force_encoding(Encoding::UTF_8)
      end

      # Every file the list for args is made from: its .bib files, then
      # _config.yml and the data files read (pr_options_file).
      def files(args = {})
        o, paths = options(args)
        paths + Array.new(Native.pr_options_file_count(o)) { |i| Native.str(Native.pr_options_file(o, i)) }
      end

      # The display model (Model) for a tag's args.
      def model(args = {})
        o, paths = options(args)
        bib = bib(paths)
        Model.build(bib, o) { |d| log_diag(d) }
      end

      def bib(paths)
        missing = paths.reject { |p| File.file?(p) }
        raise BibError, "jekyll-pubrender: #{missing.join(', ')}: no such .bib file" unless missing.empty?
        @cache.fetch(paths, string_scope) do |b|
          b.diags.each { |d| log_diag(d) }
          fail_build("#{paths.join(', ')}: #{b.error_count} error(s) in the BibTeX") if strict? && b.error_count.positive?
        end
      end

      def reset
        @placed.clear
        @cache.reset
        @options.each_value { |o, _| Native.pr_options_free(o) }
        @options.clear
      end

      def log_diag(d)
        logger.warn('Pubrender:', d.to_s)
      end

      private

      def warn_or_fail(msg)
        fail_build(msg) if strict?
        logger.warn('Pubrender:', msg)
      end

      def fail_build(msg)
        raise BibError, "jekyll-pubrender: #{msg} (pubrender: strict: true)"
      end

      def build_options(args)
        o = Native.pr_options_new
        raise NoMemoryError, 'pr_options_new' if o.null?
        paths = []
        Native.with_error do |err|
          sp = FFI::MemoryPointer.new(:pointer)
          check(Native.pr_site_load(o, @source, sp, err), err, o)
          site = sp.read_pointer
          begin
            paths = Array.new(Native.pr_site_bib_count(site)) { |i| Native.str(Native.pr_site_bib(site, i)) }
            Array.new(Native.pr_site_diag_count(site)) { |i| Bib.diag(Native.pr_site_diag(site, i)) }.each do |d|
              d.error? && !args[:file] ? warn_or_fail(d.to_s) : log_diag(d)
            end
          ensure
            Native.pr_site_free(site)
          end
          paths = [file_path(args[:file])] if args[:file]
          check(Native.pr_options_set_query(o, args[:query], err), err, o) if args[:query]
          check(Native.pr_options_set_group_by(o, args[:group_by], err), err, o) if args[:group_by]
          if args[:group_order]
            order = args[:group_order].to_s.start_with?('desc') ? -1 : 1
            Native.pr_options_set_group_order(o, order)
          end
        end
        [o, paths]
      end

      # A tag's --file: under scholar: source (jekyll-scholar's default
      # ./_bibliography), ".bib" added when only that file is there.
      def file_path(name)
        scholar = @config['scholar'].is_a?(Hash) ? @config['scholar'] : {}
        dir = File.join(@source, scholar.fetch('source', './_bibliography').to_s)
        path = File.expand_path(name, dir)
        !File.exist?(path) && File.exist?("#{path}.bib") ? "#{path}.bib" : path
      end

      def check(status, err, o)
        return if status == Native::PR_OK
        msg = Native.error_text(err)
        Native.pr_options_free(o)
        raise BibError, "jekyll-pubrender: #{msg}"
      end

      def render
        outp = FFI::MemoryPointer.new(:pointer)
        lenp = FFI::MemoryPointer.new(:size_t)
        render_call { |rep, err| yield outp, lenp, rep, err }
        p = outp.read_pointer
        s = p.null? ? +'' : p.read_bytes(lenp.read(:size_t)).force_encoding(Encoding::UTF_8)
        Native.pr_free(p)
        s
      end

      def render_call
        rep = Native.pr_report_new
        Native.with_error do |err|
          st = yield rep, err
          Array.new(Native.pr_report_diag_count(rep)) { |i| Bib.diag(Native.pr_report_diag(rep, i)) }
               .each { |d| log_diag(d) }
          raise BibError, "jekyll-pubrender: #{Native.error_text(err)}" unless st == Native::PR_OK
        end
      ensure
        Native.pr_report_free(rep) if rep
      end
    end
  end
end
