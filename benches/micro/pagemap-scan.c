/* What one slot reset's page scan costs, by what the slot has mapped
 * (issue 11, BENCHMARKS.md: "The floor of a request"). wasmtime resets a
 * pooled slot in place with Linux's PAGEMAP_SCAN ioctl, asking for pages
 * that are written and neither file-backed nor the zero page; to tell a
 * file-backed page from a private one the kernel looks up each mapped
 * page's struct page (vm_normal_page). This maps a 5,388 KiB memfd image
 * privately at the offset where jspkg's image starts (4,084 KiB), reads R
 * pages and writes W of them, and times the same scan (best of 2,000).
 *
 *   gcc -O2 -o /tmp/pagemap-scan benches/micro/pagemap-scan.c
 *   /tmp/pagemap-scan R W      e.g. 418 82: what a slot of
 *                              examples/http/hello.js keeps mapped and writes
 *                              (benches/slot-referenced.sh); 158 82: what a
 *                              request touches of it
 *
 * Linux 6.7+. The uapi structures are declared here: Debian 12's headers
 * predate PAGEMAP_SCAN. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#define PAGE_IS_WRITTEN (1 << 1)
#define PAGE_IS_FILE (1 << 2)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#define PAGE_IS_PFNZERO (1 << 5)
struct page_region { uint64_t start, end, categories; };
struct pm_scan_arg {
  uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages,
      category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s PAGES-READ PAGES-WRITTEN\n", argv[0]);
    return 2;
  }
  const size_t page = 4096, image = 5388 * 1024, at = 4084 * 1024, len = 16 << 20;
  int nread = atoi(argv[1]), nwrite = atoi(argv[2]);
  if (nread < nwrite || (size_t)nread * page > image - 707 * page) {
    fprintf(stderr, "pagemap-scan: 0 <= written <= read <= %zu\n", image / page - 707);
    return 2;
  }
  int fd = memfd_create("image", 0);
  char *bytes = malloc(image);
  memset(bytes, 1, image);
  if (fd < 0 || write(fd, bytes, image) != (ssize_t)image) { perror("memfd"); return 1; }
  char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED || mmap(base + at, image, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  /* From where the heap starts in jspkg's image, R consecutive pages read
   * (the kernel's fault-around maps up to 15 more past the last), every
   * R/W-th of them written. */
  volatile char sink = 0;
  for (int i = 0; i < nread; i++)
    sink += base[at + (707 + (size_t)i) * page];
  for (int i = 0; i < nwrite; i++)
    base[at + (707 + (size_t)i * nread / nwrite) * page] = 2;
  int pm = open("/proc/self/pagemap", O_RDONLY);
  if (pm < 0) { perror("/proc/self/pagemap"); return 1; }
  static struct page_region regions[1024];
  long best = -1, found = 0;
  for (int r = 0; r < 2000; r++) {
    struct pm_scan_arg a = {
        .size = sizeof a, .start = (uintptr_t)base, .end = (uintptr_t)base + len,
        .vec = (uintptr_t)regions, .vec_len = 1024, .max_pages = 1 << 20,
        .category_inverted = PAGE_IS_PFNZERO | PAGE_IS_FILE,
        .category_mask = PAGE_IS_WRITTEN | PAGE_IS_PFNZERO | PAGE_IS_FILE,
        .category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    found = ioctl(pm, PAGEMAP_SCAN, &a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (found < 0) { perror("PAGEMAP_SCAN"); return 1; }
    long ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
    if (best < 0 || ns < best) best = ns;
  }
  printf("mapped %d pages of the image, %d written (%ld regions): scan %.1f us\n",
         nread, nwrite, found, best / 1000.0);
  return 0;
}
