#ifndef MIO_TEST_H
#define MIO_TEST_H

/*
 * The test harness, one header per concern; a test includes this one for
 * all of them.
 */

#include "alloc_count.h"
#include "descriptors.h"
#include "fixture.h"
#include "libkqueue_gap.h"
#include "os_socket.h"
#include "process.h"
#include "test_assert.h"

#endif
