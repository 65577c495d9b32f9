# frozen_string_literal: true

module Jekyll
  module Pubrender
    # The gem's own version.
    VERSION = '0.1.0'
    # The libpubrender it is written against: the same major.minor, a patch
    # at least this one (pr_version_string is checked when the gem loads).
    LIBRARY_VERSION = '0.1.0'
  end
end
