# Install rules and the Debian package of tacit (issue 8). Included at the end of
# the top-level CMakeLists.txt:   include(cmake/install.cmake)
#
#   cmake --install build --prefix /usr [DESTDIR=...]   install into a tree
#   (cd build && cpack -G DEB)                          build/tacit_VERSION_amd64.deb
#
# Layout (prefix /usr, Debian 12):
#   /usr/sbin/tacitd, /usr/bin/tacitctl, /usr/libexec/tacit/tacit-extract
#   /lib/systemd/system/tacitd.service       (pkg-config systemd: systemdsystemunitdir)
#   /usr/lib/sysusers.d/tacit.conf           (sysusersdir)
#   /usr/lib/tmpfiles.d/tacit.conf           (tmpfilesdir)
#   /usr/share/man/man{1,5,8}/...gz
#   /usr/share/doc/tacit/examples/           the example config; /etc/tacit is never
#                                            written: the admin copies from here.
include(GNUInstallDirs)

# --- systemd's directories ------------------------------------------------------
# Where systemd looks, from systemd.pc when it is there, else under the install
# prefix (lib/systemd/system, lib/sysusers.d, lib/tmpfiles.d).
# Each can be overridden on the cmake command line.
function(tacit_systemd_dir var pc_name fallback)
  if(NOT DEFINED ${var})
    set(value "")
    if(PKG_CONFIG_FOUND)
      pkg_get_variable(value systemd ${pc_name})
    endif()
    if(value STREQUAL "")
      set(value "${fallback}")  # relative: under the prefix installed to
    endif()
    set(${var} "${value}" CACHE PATH "install directory for ${fallback}")
  endif()
endfunction()
tacit_systemd_dir(TACIT_SYSTEMD_UNIT_DIR systemdsystemunitdir lib/systemd/system)
tacit_systemd_dir(TACIT_SYSUSERS_DIR sysusersdir lib/sysusers.d)
tacit_systemd_dir(TACIT_TMPFILES_DIR tmpfilesdir lib/tmpfiles.d)

# --- binaries -------------------------------------------------------------------
install(TARGETS tacitd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(TARGETS tacitctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# tacitd's helper for PDFs and scans; tacitd looks in ../libexec/tacit/ from its
# own folder, then /usr/libexec/tacit/ (lib/extract/helper.h).
install(TARGETS tacit-extract RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/tacit)

# --- systemd unit, sysusers.d, tmpfiles.d ---------------------------------------
# systemd/tacitd.service says ExecStart=/usr/sbin/tacitd; the installed copy names
# the sbin folder of the prefix actually installed to (read at install time, so
# `cmake --install --prefix` and CPack both get it right).
set(TACIT_UNIT_STAGED ${CMAKE_CURRENT_BINARY_DIR}/systemd/tacitd.service)
string(CONFIGURE [[
  if(IS_ABSOLUTE "@CMAKE_INSTALL_SBINDIR@")
    set(_tacit_sbin "@CMAKE_INSTALL_SBINDIR@")
  else()
    set(_tacit_sbin "${CMAKE_INSTALL_PREFIX}/@CMAKE_INSTALL_SBINDIR@")
  endif()
  file(READ "@PROJECT_SOURCE_DIR@/systemd/tacitd.service" _tacit_unit)
  string(REPLACE "/usr/sbin/tacitd" "${_tacit_sbin}/tacitd" _tacit_unit "${_tacit_unit}")
  file(WRITE "@TACIT_UNIT_STAGED@" "${_tacit_unit}")
]] TACIT_UNIT_CODE @ONLY)
install(CODE "${TACIT_UNIT_CODE}")
install(FILES ${TACIT_UNIT_STAGED} DESTINATION ${TACIT_SYSTEMD_UNIT_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/systemd/sysusers.d/tacit.conf DESTINATION ${TACIT_SYSUSERS_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/systemd/tmpfiles.d/tacit.conf DESTINATION ${TACIT_TMPFILES_DIR})

# --- example configuration --------------------------------------------------------
# config/tacit.toml points at ../var/tacit so it runs from the checkout; the
# installed example points at /var/lib/tacit (StateDirectory=tacit), ready to be
# copied to /etc/tacit/.
set(TACIT_EXAMPLE_DIR ${CMAKE_INSTALL_DOCDIR}/examples)
file(READ ${PROJECT_SOURCE_DIR}/config/tacit.toml TACIT_EXAMPLE_TOML)
string(REPLACE "\"../var/tacit" "\"/var/lib/tacit" TACIT_EXAMPLE_TOML "${TACIT_EXAMPLE_TOML}")
string(PREPEND TACIT_EXAMPLE_TOML
  "# Installed example. For the tacitd service, copy it with units.csv and\n"
  "# consultations/ to /etc/tacit/ and edit them there (tacit.toml(5)):\n"
  "#   sudo install -d /etc/tacit\n"
  "#   sudo cp -r /usr/share/doc/tacit/examples/. /etc/tacit/\n"
  "# Its state paths below already point at /var/lib/tacit.\n"
  "#\n")
set(TACIT_EXAMPLE_OUT ${CMAKE_CURRENT_BINARY_DIR}/examples/tacit.toml)
set(TACIT_EXAMPLE_OLD "")
if(EXISTS ${TACIT_EXAMPLE_OUT})
  file(READ ${TACIT_EXAMPLE_OUT} TACIT_EXAMPLE_OLD)
endif()
if(NOT TACIT_EXAMPLE_OLD STREQUAL TACIT_EXAMPLE_TOML)
  file(WRITE ${TACIT_EXAMPLE_OUT} "${TACIT_EXAMPLE_TOML}")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/config/tacit.toml)
install(FILES ${TACIT_EXAMPLE_OUT} ${PROJECT_SOURCE_DIR}/config/units.csv
        DESTINATION ${TACIT_EXAMPLE_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/consultations/ DESTINATION ${TACIT_EXAMPLE_DIR}/consultations
        FILES_MATCHING PATTERN "*.toml")

# --- man pages (gzip -9n, as Debian wants them) -----------------------------------
find_program(TACIT_GZIP gzip REQUIRED)
set(TACIT_MAN_PAGES tacitd.8 tacitctl.1 tacit.toml.5)
set(TACIT_MAN_GZ "")
foreach(page ${TACIT_MAN_PAGES})
  set(gz ${CMAKE_CURRENT_BINARY_DIR}/man/${page}.gz)
  add_custom_command(OUTPUT ${gz}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
    COMMAND ${TACIT_GZIP} -9nc ${PROJECT_SOURCE_DIR}/man/${page} > ${gz}
    DEPENDS ${PROJECT_SOURCE_DIR}/man/${page}
    COMMENT "gzip man/${page}" VERBATIM)
  list(APPEND TACIT_MAN_GZ ${gz})
  string(REGEX MATCH "[0-9]$" section ${page})
  install(FILES ${gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

# --- Debian's documentation files --------------------------------------------------
# A native package (version without a Debian revision): changelog.gz + copyright.
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz
  COMMAND ${TACIT_GZIP} -9nc ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog
          > ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog VERBATIM)
add_custom_target(tacit_docs ALL DEPENDS ${TACIT_MAN_GZ}
                  ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz
              ${PROJECT_SOURCE_DIR}/packaging/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# --- CPack: tacit_VERSION_amd64.deb ------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tacit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "tacit maintainers <tacit@example.vn>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "deadline and reply tracker for official letters")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_NAME tacit)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Besides the shared libraries (dpkg-shlibdeps): IANA time zones for deadlines, and
# systemd-sysusers/systemd-tmpfiles for postinst.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "tzdata, systemd | systemd-standalone-sysusers | systemd-sysusers")
# Vietnamese OCR data for scanned replies; without it a scan is recorded
# without text and marked "cần kiểm tra".
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tesseract-ocr-vie")
# The synopsis (first line) is CPACK_PACKAGE_DESCRIPTION_SUMMARY.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "tacit tracks the replies to an official letter sent to many units (leaders,
organisations, departments, schools, residential groups) until its deadline,
then treats silence as consent. It records each reply, applies the deadline
exactly once and keeps a JSON status file the office can read.
.
This package ships the tacitd service (a hardened systemd unit, not enabled
on installation), the tacitctl command and an example configuration in
/usr/share/doc/tacit/examples.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

# bash completion for tacitctl.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/completion/tacitctl
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
