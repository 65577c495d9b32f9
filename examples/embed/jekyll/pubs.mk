# make -f pubs.mk: the publication list and its stylesheet for Jekyll.
PUBRENDER ?= pubrender
BIB ?= _bibliography/papers.bib

all: _includes/pubs.html assets/css/pubrender.css

# {% raw %}: Jekyll's Liquid must not read the BibTeX ({{ ... }}) in the fragment.
_includes/pubs.html: $(BIB)
	mkdir -p $(dir $@)
	$(PUBRENDER) --highlight "Your Name" -o $@.body $(BIB)
	{ echo '{% raw %}'; cat $@.body; echo '{% endraw %}'; } > $@
	rm -f $@.body

assets/css/pubrender.css:
	mkdir -p $(dir $@)
	$(PUBRENDER) --css $@

.PHONY: all
