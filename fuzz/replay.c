/*
 * Runs each file named on the command line, or each file in each named
 * directory, through the fuzz target once: the checked-in corpus as a
 * regression test in builds without libFuzzer.
 */

/*
 * readdir on a 32-bit system reads 64-bit inode numbers only with the
 * large-file interface; without it, it fails with EOVERFLOW there.
 */
#define _FILE_OFFSET_BITS 64

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	static uint8_t buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

static int replay_dir(const char *dir, int *count)
{
	char path[4096];
	struct dirent *ent;
	DIR *d = opendir(dir);

	if (d == NULL) {
		perror(dir);
		return -1;
	}
	/* A failed readdir must not pass for the end of the directory. */
	while (errno = 0, (ent = readdir(d)) != NULL) {
		if (ent->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
		if (replay_file(path) < 0) {
			closedir(d);
			return -1;
		}
		(*count)++;
	}
	if (errno != 0) {
		perror(dir);
		closedir(d);
		return -1;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int count = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count) < 0)
				return 1;
		} else {
			if (replay_file(argv[i]) < 0)
				return 1;
			count++;
		}
	}
	if (count == 0) {
		fprintf(stderr, "no inputs\n");
		return 1;
	}
	printf("%d inputs replayed\n", count);
	return 0;
}
