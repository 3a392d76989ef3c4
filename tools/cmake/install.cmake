# Install rules (-DLOCALDYNAMO_INSTALL=ON, the default for the top-level project):
#   include/localdynamo/*.h          the public headers (and the generated version.h), only
#   lib/liblocaldynamo.{a,so}        the library (static unless -DBUILD_SHARED_LIBS=ON)
#   bin/localdynamo                  the executable (with LOCALDYNAMO_CLI)
#   lib/cmake/localdynamo/           find_package(localdynamo): localdynamo::localdynamo
#   lib/pkgconfig/localdynamo.pc     pkg-config --cflags --libs [--static] localdynamo
#   share/localdynamo/testing/       the test helpers for Python (pytest) and Node.js
# and CPack's Debian package of the same (cpack -G DEB in the build directory).
include(CMakePackageConfigHelpers)
set(LD_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/localdynamo)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/localdynamo ${PROJECT_BINARY_DIR}/include/localdynamo
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev FILES_MATCHING PATTERN "*.h")
install(TARGETS localdynamo EXPORT localdynamoTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev)
if(TARGET localdynamo_cli)
  set_target_properties(localdynamo_cli PROPERTIES EXPORT_NAME cli)
  install(TARGETS localdynamo_cli EXPORT localdynamoTargets
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
endif()
install(EXPORT localdynamoTargets NAMESPACE localdynamo:: DESTINATION ${LD_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/tools/cmake/localdynamoConfig.cmake.in
  ${PROJECT_BINARY_DIR}/localdynamoConfig.cmake INSTALL_DESTINATION ${LD_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/localdynamoConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)  # 0.x: a minor version may break the API
install(FILES ${PROJECT_BINARY_DIR}/localdynamoConfig.cmake
              ${PROJECT_BINARY_DIR}/localdynamoConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/tools/cmake/localdynamoDependencies.cmake
        DESTINATION ${LD_CMAKE_DIR} COMPONENT dev)

# pkg-config: relocatable (the prefix found from the .pc file's own directory).
file(RELATIVE_PATH LOCALDYNAMO_PC_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" LOCALDYNAMO_PC_PREFIX "${LOCALDYNAMO_PC_PREFIX}")
set(LOCALDYNAMO_PC_DL "")
foreach(lib ${CMAKE_DL_LIBS})
  string(APPEND LOCALDYNAMO_PC_DL " -l${lib}")
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/tools/cmake/localdynamo.pc.in ${PROJECT_BINARY_DIR}/localdynamo.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/localdynamo.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# The test helpers (Python: LocalDynamo and the pytest plugin; Node.js: startLocalDynamo).
install(FILES ${PROJECT_SOURCE_DIR}/tools/testing/localdynamo_testing.py
              ${PROJECT_SOURCE_DIR}/tools/testing/pytest_localdynamo.py
              ${PROJECT_SOURCE_DIR}/tools/testing/localdynamo-testing.cjs
        DESTINATION ${CMAKE_INSTALL_DATADIR}/localdynamo/testing COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

# One Debian package with all of it: `localdynamo serve` on a machine that never built it, as
# DynamoDB Local's jar is used; its dependencies (liblmdb0, zlib1g, libc6) from dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME localdynamo)
set(CPACK_PACKAGE_VENDOR "localdynamo")
set(CPACK_PACKAGE_CONTACT "localdynamo developers <localdynamo@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Amazon DynamoDB's table model on LMDB: an embeddable C++ store and a local endpoint")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)  # the debug information stays in the build
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "liblmdb-dev, zlib1g-dev")  # for programs built on the headers and library
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libssl3")  # libcrypto, loaded by `serve --auth`
set(CPACK_GENERATOR DEB)
include(CPack)
