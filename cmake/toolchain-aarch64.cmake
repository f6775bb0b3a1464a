# aarch64 with Debian's cross compiler (gcc-aarch64-linux-gnu); the tests run under
# qemu-user (Debian: qemu-user) with the cross libraries as its sysroot.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(MIO_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${MIO_CROSS_TRIPLE}-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/${MIO_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/${MIO_CROSS_TRIPLE})
