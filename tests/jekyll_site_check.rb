# jekyll_site_check.rb OUT SITE PUBRENDER_CLI - the pages `jekyll build`
# wrote for tests/jekyll-site with jekyll-pubrender, against the CLI on the
# same site: each list is the CLI's fragment for the same settings, byte for
# byte; the owner, marks and links of the CLI's display model (view-json)
# are on the page; site.data.pubrender is that display model.
require 'json'

out, site, cli = ARGV
$fails = 0
def check(cond, what)
  return if cond
  $fails += 1
  puts "FAIL: #{what}"
end

def run(cli, site, *args)
  s = IO.popen([cli, '--site', site, *args], err: File::NULL, &:read)
  raise "pubrender --site #{site} #{args.join(' ')} failed" unless $?.success?
  s.force_encoding('UTF-8')
end

def page(out, path) = File.read(File.join(out, path), encoding: 'UTF-8')

pubs = page(out, 'publications/index.html')
full = run(cli, site)
check(pubs.scan(full).size == 1, 'publications/: the CLI fragment of `pubrender --site` once, verbatim')
about = page(out, 'index.html')
sel = run(cli, site, '--group-by', 'none', '--query', '@*[selected=true]*')
check(about.include?(sel), 'about: the layout\'s {% bibliography -f ... --query @*[selected=true]* %} is the CLI\'s')
post = page(out, '2024/06/01/metis.html')
one = run(cli, site, '--group-by', 'none', '--query', '@*[key=doe2024metis]')
check(post.include?(one), "post: {% cite doe2024metis %} is the CLI's one-entry list")

model = JSON.parse(IO.popen([cli, '--site', site, '-f', 'view-json'], err: File::NULL, &:read))
check(JSON.parse(File.read(File.join(out, 'model.json'))) == model, 'model.json: site.data.pubrender.groups is the view-json model')
items = model.flat_map { |g| g['items'] }
check(items.size == 3 && full.scan('<li class="pubrender-entry').size == 3, 'three entries')
items.each do |it|
  li = pubs[/<li [^>]*id="#{Regexp.escape(it['id'])}".*?<\/li>/m]
  check(li, "#{it['id']}: on the page")
  next unless li
  shown = it['authors'].reject { |a| a['hidden'] }
  owners = shown.select { |a| a['owner'] }.map { |a| %(<strong class="pubrender-me">#{a['name_html']}</strong>) }
  check(owners.any? && owners.all? { |o| li.include?(o) } &&
        li.scan('class="pubrender-me"').size == owners.size, "#{it['id']}: the owner highlighted")
  marks = shown.map { |a| a['marks'] }.reject(&:empty?)
  check(li.scan(/<sup class="pubrender-mark">([^<]*)<\/sup>/).flatten == marks, "#{it['id']}: marks #{marks}")
  it['links'].each do |l|
    check(li.include?(%(href="#{l['url']}">#{l['label']}</a>)), "#{it['id']}: link #{l['label']}")
  end
  check(li.scan('class="pubrender-link"').size == it['links'].size, "#{it['id']}: #{it['links'].size} links")
end
# what the site's settings say, seen on the page
check(pubs.include?('<strong class="pubrender-me">Jane Doe</strong><sup class="pubrender-mark">*</sup>'),
      'scholar: last_name/first_name: Jane Doe highlighted, with her mark')
check(pubs.include?('<summary>and 2 more authors</summary>'), 'max_author_limit: 3')
check(pubs.scan(%r{<h2[^>]*>(\d+)</h2>}).flatten == %w[2024 2023 2022], 'group_by: year, group_order: descending')
check(pubs.include?('href="https://roe.example.org/"'), '_data/coauthors.yml')
check(pubs.include?('style="background-color: #00369f; color: #fff">JT</a>'), '_data/venues.yml')
left = Dir[File.join(out, '**', '*.html')].select { |f| File.read(f).include?('<!-- pubrender:') }
check(left.empty?, "placeholders left in #{left.join(', ')}")
puts $fails.zero? ? 'site: ok' : "site: #{$fails} failed"
exit($fails.zero? ? 0 : 1)
