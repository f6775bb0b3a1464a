# Windows in MSVC mode from Linux: LLVM's clang-cl and lld-link with an
# SDK-style header set, Wine's (Debian: clang lld libwine-dev):
#   cmake -S . -B build-msvc -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-clang-cl.cmake
# clang-cl takes MSVC's options (/W4 /WX, /std:c11, /MD); Wine's CRT and
# Windows headers stand in for the Visual C++ runtime's and the Windows
# SDK's, and programs link with lld-link against Wine's import libraries.
# Extra compiler flags go in the CFLAGS environment variable, such as
# /D__STDC_NO_ATOMICS__=1 to build as for cl.exe, which has no C11
# atomics before Visual Studio 2022 17.5.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

find_program(CMAKE_C_COMPILER NAMES clang-cl clang-cl-14 REQUIRED)
find_program(CMAKE_LINKER NAMES lld-link lld-link-14 REQUIRED)
find_program(CMAKE_AR NAMES llvm-lib llvm-lib-14 REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES llvm-rc llvm-rc-14)
find_program(CMAKE_MT NAMES llvm-mt llvm-mt-14)

set(MIO_WINE_PREFIX /usr CACHE PATH "Where Wine's headers and libraries are")
set(_inc ${MIO_WINE_PREFIX}/include/wine/wine)
set(_libs ${MIO_WINE_PREFIX}/lib/x86_64-linux-gnu/wine/x86_64-windows)
if(NOT EXISTS ${_inc}/windows/winsock2.h OR NOT EXISTS ${_libs}/libws2_32.a)
  message(FATAL_ERROR "no Wine headers and libraries under "
          "${MIO_WINE_PREFIX} (Debian: libwine-dev)")
endif()

# Wine names its import libraries libNAME.a; lld-link looks for NAME.lib.
# Wine's CRT headers declare the Universal CRT (_UCRT), so the runtime
# that /MD names, msvcrt.lib, is Wine's ucrtbase (with mainCRTStartup).
set(_dir ${CMAKE_BINARY_DIR}/wine-sdk-libs)
file(MAKE_DIRECTORY ${_dir})
file(GLOB _archives ${_libs}/lib*.a)
foreach(_a IN LISTS _archives)
  get_filename_component(_name ${_a} NAME_WE)
  string(REGEX REPLACE "^lib" "" _name ${_name})
  if(_name STREQUAL "msvcrt")
    continue()
  elseif(_name STREQUAL "ucrtbase" AND NOT EXISTS ${_dir}/msvcrt.lib)
    file(CREATE_LINK ${_a} ${_dir}/msvcrt.lib SYMBOLIC)
  endif()
  if(NOT EXISTS ${_dir}/${_name}.lib)
    file(CREATE_LINK ${_a} ${_dir}/${_name}.lib SYMBOLIC)
  endif()
endforeach()

# wine-sdk-shim/ adds what Wine's CRT headers lack of the Universal CRT's.
set(_shim ${CMAKE_CURRENT_LIST_DIR}/wine-sdk-shim)

# /imsvc: system headers, searched as the SDK's and the CRT's would be.
# /GS-: the stack cookies' support code is in MSVC's static runtime,
# which Wine's has no counterpart of.
set(CMAKE_C_FLAGS_INIT
    "/imsvc ${_shim} /imsvc ${_inc}/msvcrt /imsvc ${_inc}/windows /GS-")

# The release runtime: Wine has no debug one, nor MSVC's run-time checks
# (/RTC), which debug builds and CMake's own checks would use.
set(CMAKE_MSVC_RUNTIME_LIBRARY MultiThreadedDLL)
set(CMAKE_TRY_COMPILE_CONFIGURATION Release)

# No oldnames.lib: the CRT exports the old names itself. A DLL starts at
# winecrt0's DllMainCRTStartup, as Wine's own DLLs do.
set(_link "/libpath:${_dir} /nodefaultlib:oldnames.lib")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_link}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT
    "${_link} /entry:DllMainCRTStartup winecrt0.lib")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "${_link}")
