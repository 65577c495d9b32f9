# ffi_ruby.rb HEADER.i LIBPUBRENDER.so - every function of pubrender.h
# attached with ruby-ffi from the preprocessed header, each parameter and
# result a pointer, an integer or an enum (an int): a function that took or
# returned a struct by value would need that struct mirrored here, and fails
# the test. Then a few calls: parse, render through a callback, a
# diagnostic's code and an error, all through pointers.
require 'ffi'

header, so = ARGV
text = File.read(header).gsub(/\s+/, ' ')
enums = text.scan(/typedef enum \w+ \{[^}]*\} (\w+);/).flatten
# the declarations: each text between semicolons (after a struct's or an
# enum's body) that is TYPE pr_NAME(PARAMS), typedefs left out
funcs = text.split(';').map { |c| c.split(/[{}]/).last.to_s.strip }.filter_map do |c|
  next if c.start_with?('typedef')
  m = c.match(/\A([A-Za-z_][\w\s\*]*?\b(pr_\w+)) *\((.*)\)\z/)
  m && [m[1], m[2], m[3]]
end
SCALARS = { 'void' => :void, 'int' => :int, 'unsigned' => :uint, 'size_t' => :size_t,
             'unsigned int' => :uint, 'long' => :long, 'double' => :double }
$bad = []
def ffi_type(t, enums, fn)
  t = t.strip
  return :pointer if t.include?('*') || t == 'pr_write_fn'
  base = t.sub(/\Aconst\s+/, '').strip
  return SCALARS[base] if SCALARS.key?(base)
  return :int if enums.include?(base)
  $bad << "#{fn}: #{t}"
  :void
end

module PR
  extend FFI::Library
end
PR.ffi_lib so
sigs = funcs.map do |decl, name, params|
  ret = decl.sub(/\b#{name}\z/, '')
  args = params.strip == 'void' ? [] : params.split(',').map do |p|
    p = p.strip
    p.include?('(') ? 'pr_write_fn' : p.sub(/\b\w+\z/) { |w| p.strip == w ? w : '' }
  end
  [name, args.map { |a| ffi_type(a, enums, name) }, ffi_type(ret, enums, name)]
end
unless $bad.empty?
  puts "FAIL: types ruby-ffi cannot take without a mirror:", $bad
  exit 1
end
attached = 0
sigs.each do |name, ats, rt|
  PR.attach_function(name.to_sym, ats, rt)
  attached += 1
end
declared = text.scan(/\b(pr_\w+) *\(/).flatten.uniq.size
puts "ruby-ffi: #{attached} functions attached, #{declared} in the header"
exit 1 if attached != declared || attached < 60

fails = 0
check = ->(cond, what) { unless cond then fails += 1; puts "FAIL: #{what}" end }
bib = PR.pr_bib_new
err = PR.pr_error_new
data = "@misc{r1, title = {A}, title = {B}, year = 2020}\n"
check.(PR.pr_bib_add_buffer(bib, data, data.bytesize, 'r.bib', err) == 0, 'parse')
d = PR.pr_bib_diag(bib, 0)
check.(PR.pr_diag_code(d).read_string == 'repeated-field', 'code repeated-field')
check.(PR.pr_diag_key(d).read_string == 'r1', 'key r1')
check.(PR.pr_diag_field(d).read_string == 'title', 'field title')
opts = PR.pr_options_new
out = +''
sink = FFI::Function.new(:int, [:pointer, :size_t, :pointer]) { |p, n, _| out << p.read_bytes(n); 0 }
check.(PR.pr_render(bib, opts, sink, nil, nil, err) == 0, 'pr_render')
check.(out.include?('pubrender-r1') && out.include?('>A<'), 'the HTML')
check.(PR.pr_bib_add_file(bib, '/nonexistent.bib', err) == 2, 'PR_ERR_IO')
check.(PR.pr_error_message(err).read_string.start_with?('cannot open'), 'the error message')
PR.pr_options_free(opts)
PR.pr_error_free(err)
PR.pr_bib_free(bib)
puts "ruby-ffi: #{fails.zero? ? 'ok' : "#{fails} failed"}"
exit(fails.zero? ? 0 : 1)
