# What the localdynamo library links against, found the same way when localdynamo is built and
# when a project uses the installed package (localdynamoConfig.cmake includes this file).
# Defines localdynamo::lmdb; finds Threads and ZLIB (crc32 for x-amz-crc32). OpenSSL's
# libcrypto is not linked: the server loads it at run time when --auth asks for SigV4 checks.
include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_dependency(ZLIB)
if(NOT TARGET localdynamo::lmdb)
  find_path(LOCALDYNAMO_LMDB_INCLUDE_DIR lmdb.h)
  find_library(LOCALDYNAMO_LMDB_LIBRARY NAMES lmdb)
  if(NOT LOCALDYNAMO_LMDB_INCLUDE_DIR OR NOT LOCALDYNAMO_LMDB_LIBRARY)
    set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
    set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE
        "LMDB not found (Debian: apt-get install liblmdb-dev)")
    return()
  endif()
  add_library(localdynamo::lmdb UNKNOWN IMPORTED)
  set_target_properties(localdynamo::lmdb PROPERTIES
    IMPORTED_LOCATION "${LOCALDYNAMO_LMDB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LOCALDYNAMO_LMDB_INCLUDE_DIR}")
endif()
