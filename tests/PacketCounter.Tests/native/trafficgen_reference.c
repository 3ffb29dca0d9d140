/* The live-frames generator loop written directly in C against libbpf: the reference
 * the C# generator's rate is compared with. Same object, same frame, same chunking.
 *
 * usage: trafficgen_reference OBJECT IFINDEX CPU FRAMES BATCH CHUNK FRAMEFILE
 * prints: frames_sent wall_seconds mpps */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr, "usage: %s OBJECT IFINDEX CPU FRAMES BATCH CHUNK FRAMEFILE\n", argv[0]);
		return 2;
	}
	unsigned int ifindex = strtoul(argv[2], NULL, 10);
	int cpu = atoi(argv[3]);
	long long frames = atoll(argv[4]);
	unsigned int batch = strtoul(argv[5], NULL, 10);
	long long chunk = atoll(argv[6]);

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}

	unsigned char frame[2048];
	FILE *f = fopen(argv[7], "rb");
	if (!f) {
		perror(argv[7]);
		return 1;
	}
	size_t length = fread(frame, 1, sizeof(frame), f);
	fclose(f);

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t n = strlen(name);
		if (n >= 7 && strcmp(name + n - 7, ".rodata") == 0) {
			size_t size;
			unsigned int *ifindex_out = bpf_map__initial_value(map, &size);
			*ifindex_out = ifindex;
		}
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "load failed\n");
		return 1;
	}
	int fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "trafficgen_redirect"));

	struct xdp_md ctx = { .data_end = length, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = length,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = batch);

	struct timespec start, end;
	long long sent = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (sent < frames) {
		long long n = frames - sent < chunk ? frames - sent : chunk;
		opts.repeat = n;
		if (bpf_prog_test_run_opts(fd, &opts)) {
			fprintf(stderr, "test run: %s\n", strerror(errno));
			return 1;
		}
		sent += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
	printf("%lld %.6f %.4f\n", sent, seconds, sent / seconds / 1e6);
	bpf_object__close(obj);
	return 0;
}
