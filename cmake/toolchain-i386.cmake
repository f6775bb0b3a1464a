# 32-bit x86 with the host's gcc -m32. Debian's gcc-multilib cannot be
# installed beside its cross compilers, so this uses what it would bring:
# libc6-dev-i386 and lib32gcc-12-dev, plus the kernel's asm/ headers of
# the x86-64 package, which cover both word sizes (searched last). The
# binaries run natively on x86-64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_C_FLAGS_INIT "-m32 -idirafter /usr/include/x86_64-linux-gnu")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-m32")
