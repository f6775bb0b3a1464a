#ifndef MIO_FUZZ_H
#define MIO_FUZZ_H

/*
 * Every fuzz target defines the libFuzzer entry point. Built with
 * MIO_BUILD_FUZZ=ON (clang), libFuzzer drives it; in ordinary builds
 * replay.c runs the checked-in corpus through it as a regression test.
 */

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
