# frozen_string_literal: true

require_relative 'test_helper'

class TestNative < Minitest::Test
  N = Jekyll::Pubrender::Native

  def test_candidates_start_with_the_variable_and_end_with_the_system
    c = N.candidates('PUBRENDER_LIB' => '/x/libpubrender.so')
    assert_equal '/x/libpubrender.so', c.first
    assert_equal %w[libpubrender.so.0 libpubrender.so], c.last(2)
    refute_includes N.candidates({}), '/x/libpubrender.so'
  end

  def test_version_check
    assert_nil N.version_problem('0.1.0', '0.1.0')
    assert_nil N.version_problem('0.1.7', '0.1.2')
    assert_match(/"0.2.0" found, jekyll-pubrender .* needs 0.1.0/, N.version_problem('0.2.0', '0.1.0'))
    assert_match(/needs 0.1.3/, N.version_problem('0.1.2', '0.1.3'))
    assert_match(/"garbage" found/, N.version_problem('garbage', '0.1.0'))
  end

  def test_the_loaded_library_is_the_expected_version
    assert_equal Jekyll::Pubrender::LIBRARY_VERSION, N.pr_version_string
    cmake = File.expand_path('../../../CMakeLists.txt', __dir__)
    skip 'not in the source tree' unless File.exist?(cmake)
    assert_equal File.read(cmake)[/^project\(pubrender VERSION ([0-9.]+)/, 1], Jekyll::Pubrender::LIBRARY_VERSION
  end

  def test_a_missing_library_is_a_clear_error
    lib = File.expand_path('../lib', __dir__)
    out = IO.popen({ 'PUBRENDER_LIB' => '/nonexistent/libpubrender.so' },
                   ['ruby', '-I', lib, '-e',
                    'begin; require "jekyll/pubrender/native"; rescue Jekyll::Pubrender::LibraryError => e; puts e.message; end'],
                   err: File::NULL, &:read)
    assert_match(%r{\Ajekyll-pubrender: libpubrender not found \(tried /nonexistent/libpubrender.so}, out)
    assert_match(/set PUBRENDER_LIB/, out)
  end
end
