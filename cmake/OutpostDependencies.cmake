# Third-party libraries besides Qt, found the same way on every OS:
#   Linux (Debian 12)  the distribution's packages (the Makefile's APT_PACKAGES)
#   Windows, macOS     vcpkg in manifest mode (vcpkg.json at the top of the tree, pinned by its
#                      builtin-baseline), through its toolchain file; Qt from Qt's own builds and
#                      QtKeychain built against that Qt (.github/workflows/installers.yml)
# Nothing here is verified on Windows or macOS by this tree's own tests; the installers workflow
# builds and runs the unit tests there.

find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED) # SQLite's C API for the hot reads (server/db/sqlitereader.h)
# libpq, PostgreSQL's C client, for the hot reads on PostgreSQL (server/db/pgreader.h): through
# pkg-config where it is (Debian's libpq-dev), else CMake's FindPostgreSQL (vcpkg's libpq).
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
    pkg_check_modules(OUTPOST_LIBPQ QUIET IMPORTED_TARGET GLOBAL libpq)
endif()
if(OUTPOST_LIBPQ_FOUND)
    set(OUTPOST_LIBPQ_TARGET PkgConfig::OUTPOST_LIBPQ)
else()
    find_package(PostgreSQL REQUIRED)
    set(OUTPOST_LIBPQ_TARGET PostgreSQL::PostgreSQL)
endif()
# Outgoing e-mail: libcurl's SMTP client (server/services/mailer.h; Debian libcurl4-openssl-dev).
find_package(CURL 7.85 REQUIRED)

# Local pipeline definitions (buildspec-like YAML). yaml-cpp 0.8 names its target
# yaml-cpp::yaml-cpp (vcpkg, Homebrew), 0.7 plain yaml-cpp (Debian 12).
find_package(yaml-cpp 0.7 REQUIRED)
if(TARGET yaml-cpp::yaml-cpp)
    set(OUTPOST_YAML_CPP yaml-cpp::yaml-cpp)
else()
    set(OUTPOST_YAML_CPP yaml-cpp)
endif()

# nodejs/http-parser (Debian's libhttp-parser-dev, vcpkg's http-parser).
find_path(HTTP_PARSER_INCLUDE_DIR http_parser.h REQUIRED)
find_library(HTTP_PARSER_LIBRARY NAMES http_parser REQUIRED)
find_path(TL_EXPECTED_INCLUDE_DIR tl/expected.hpp REQUIRED)

# bcrypt (server/auth/bcrypt.h): libxcrypt's crypt_rn where the C library has it (Linux; vcpkg's
# libxcrypt port is Linux-only), Botan 3 elsewhere (vcpkg on Windows and macOS; Homebrew has it
# too). Botan 2 (Debian's libbotan-2-dev) works as well: Linux builds tst_passwordhasher_botan
# with it, so the vectors are checked against both implementations here.
set(OUTPOST_BCRYPT "auto" CACHE STRING "bcrypt implementation: auto, libxcrypt or botan")
set_property(CACHE OUTPOST_BCRYPT PROPERTY STRINGS auto libxcrypt botan)

find_path(OUTPOST_CRYPT_INCLUDE_DIR crypt.h)
find_library(OUTPOST_CRYPT_LIBRARY NAMES crypt)
set(OUTPOST_HAVE_LIBXCRYPT OFF)
if(OUTPOST_CRYPT_INCLUDE_DIR AND OUTPOST_CRYPT_LIBRARY)
    include(CheckCXXSymbolExists)
    set(CMAKE_REQUIRED_INCLUDES ${OUTPOST_CRYPT_INCLUDE_DIR})
    set(CMAKE_REQUIRED_LIBRARIES ${OUTPOST_CRYPT_LIBRARY})
    check_cxx_symbol_exists(crypt_gensalt_rn crypt.h OUTPOST_CRYPT_HAS_GENSALT_RN)
    unset(CMAKE_REQUIRED_INCLUDES)
    unset(CMAKE_REQUIRED_LIBRARIES)
    if(OUTPOST_CRYPT_HAS_GENSALT_RN)
        set(OUTPOST_HAVE_LIBXCRYPT ON)
    endif()
endif()

# outpost_find_botan(): OUTPOST_BOTAN_TARGET, the Botan 3 (or 2) library target, or empty.
function(outpost_find_botan)
    set(target "")
    find_package(Botan 3 CONFIG QUIET)
    foreach(candidate botan::botan botan::botan-static Botan::Botan Botan::Botan-static)
        if(NOT target AND TARGET ${candidate})
            set(target ${candidate})
        endif()
    endforeach()
    if(NOT target)
        find_package(PkgConfig QUIET)
        if(PKG_CONFIG_FOUND)
            pkg_search_module(OUTPOST_BOTAN QUIET IMPORTED_TARGET GLOBAL botan-3 botan-2)
            if(OUTPOST_BOTAN_FOUND)
                set(target PkgConfig::OUTPOST_BOTAN)
            endif()
        endif()
    endif()
    set(OUTPOST_BOTAN_TARGET ${target} PARENT_SCOPE)
endfunction()

if(OUTPOST_BCRYPT STREQUAL "auto")
    if(OUTPOST_HAVE_LIBXCRYPT)
        set(OUTPOST_BCRYPT_IMPLEMENTATION libxcrypt)
    else()
        set(OUTPOST_BCRYPT_IMPLEMENTATION botan)
    endif()
else()
    set(OUTPOST_BCRYPT_IMPLEMENTATION ${OUTPOST_BCRYPT})
endif()
outpost_find_botan()
if(OUTPOST_BCRYPT_IMPLEMENTATION STREQUAL "libxcrypt")
    if(NOT OUTPOST_HAVE_LIBXCRYPT)
        message(FATAL_ERROR "OUTPOST_BCRYPT=libxcrypt: no crypt.h with crypt_gensalt_rn "
            "(Debian: libcrypt-dev)")
    endif()
elseif(OUTPOST_BCRYPT_IMPLEMENTATION STREQUAL "botan")
    if(NOT OUTPOST_BOTAN_TARGET)
        message(FATAL_ERROR "bcrypt needs libxcrypt or Botan, and neither was found "
            "(Windows, macOS: vcpkg install, see README; Debian: libcrypt-dev)")
    endif()
else()
    message(FATAL_ERROR "OUTPOST_BCRYPT must be auto, libxcrypt or botan, not "
        "'${OUTPOST_BCRYPT}'")
endif()
message(STATUS "bcrypt: ${OUTPOST_BCRYPT_IMPLEMENTATION}")
