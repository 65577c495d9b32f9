# make -f pubs.mk: the publication list and its stylesheet for Jekyll.
PUBRENDER ?= pubrender
BIB ?= _bibliography/papers.bib

all: _includes/pubs.html assets/css/pubrender.css

# pubrender runs every time (FORCE), so that an edit of pubrender.yml or
# venues.yml is seen too; -o rewrites _pubs.html only when the list changes
# (Jekyll does not publish files whose name starts with _).
_pubs.html: FORCE
	$(PUBRENDER) --highlight "Your Name" -o $@ $(BIB)

# Jekyll runs Liquid over includes and BibTeX is full of {{ and {%; a
# {% raw %} wrapper would end at the first {% endraw %} of a title. So every
# { is written &#123; (the same character to the browser, in text and in
# attributes; nothing for Liquid). Made only when _pubs.html changed, so an
# unchanged list leaves _includes/pubs.html (and Jekyll's rebuild) alone.
_includes/pubs.html: _pubs.html
	mkdir -p $(dir $@)
	sed 's/{/\&#123;/g' _pubs.html > $@.new && mv -f $@.new $@

assets/css/pubrender.css:
	mkdir -p $(dir $@)
	$(PUBRENDER) --css $@

FORCE:
.PHONY: all FORCE
