# Cross-compiling for 64-bit Windows with MinGW-w64, tests run under Wine:
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake
#   cmake --build build-win -j2 && ctest --test-dir build-win --output-on-failure
# (Debian: apt-get install gcc-mingw-w64-x86-64 wine64)

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(MIO_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${MIO_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${MIO_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER ${MIO_MINGW_TRIPLE}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${MIO_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

# Executables that need no MinGW runtime DLLs next to them.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")

# CTest runs every test through Wine, so the usual ctest command works.
find_program(MIO_WINE NAMES wine64 wine)
if(MIO_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${MIO_WINE})
endif()
