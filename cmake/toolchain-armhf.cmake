# 32-bit ARM (armhf) with Debian's cross compiler (gcc-arm-linux-gnueabihf);
# the tests run under qemu-user (Debian: qemu-user) with the cross libraries
# as its sysroot. struct epoll_event is 8-byte aligned here, unlike i386.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(MIO_CROSS_TRIPLE arm-linux-gnueabihf)
set(CMAKE_C_COMPILER ${MIO_CROSS_TRIPLE}-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/${MIO_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm -L /usr/${MIO_CROSS_TRIPLE})
