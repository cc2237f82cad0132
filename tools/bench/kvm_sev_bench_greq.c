// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_sev_bench's guest-req section: SNP guest requests per second, the
 * program playing the guest as sev_guest_req_test does: a GHCB per vCPU
 * registered through the MSR protocol, an MSG_REPORT_REQ sealed under
 * VMPCK0 with the guest library, SVM_VMGEXIT_GUEST_REQUEST, the report
 * opened and checked. A guest's channel takes one request at a time (the
 * firmware wants each VMPCK's sequence numbers in order; the guest's
 * sev-guest driver holds a mutex across a request): so do the threads of
 * one VM here.
 *
 * VMPCK0 is on the secrets page, private memory the VMM cannot read; the
 * simulated firmware derives it from its chip_secret and the launch's
 * number on the device (sim_fw_launch_key()), so, as the test, this
 * section makes sevsim0 afresh (its launches numbered from 1), reloading
 * sev-psp-sim (from $SEV_MODULE_DIR, /modules by default) with a
 * chip_secret of its own when it has none.
 *
 * guest_req_rate (kvm-sev, 0 by default: no limit) throttles each VM: a
 * request over it is answered BUSY and sent again; the section prints the
 * parameter and how many BUSY answers it had.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "kvm_sev_bench.h"
#include "snp_guest_lib.h"

#define CHIP_SECRET \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define SIM_BUS		"/sys/bus/sev-psp-sim"
#define SIM_SECRET	"/sys/module/sev_psp_sim/parameters/chip_secret"
#define SIM_STATE	"/sys/kernel/debug/sev-psp-sim/sevsim0/state"
#define RATE_PARAM	"/sys/module/kvm_sev/parameters/guest_req_rate"

/* A VM's pages from GPA 0: the secrets page, then three for each vCPU */
#define SECRETS_GPA	0
#define GHCB_GPA(i)	((1 + 3 * (uint64_t)(i)) * BENCH_PAGE_SIZE)
#define REQ_GPA(i)	(GHCB_GPA(i) + BENCH_PAGE_SIZE)
#define RESP_GPA(i)	(GHCB_GPA(i) + 2 * BENCH_PAGE_SIZE)

static uint8_t chip_secret[32];

/* A VM and its guest's channel on VMPCK0 */
struct greq_vm {
	struct snp_vm g;
	struct snp_guest_chan chan;
	pthread_mutex_t lock;	/* the channel: one request at a time */
};

/* A thread playing vCPU @idx of @vm */
struct greq_worker {
	struct greq_vm *vm;
	unsigned int idx;
	pthread_t thread;
	unsigned long done;
	unsigned long busy;
	int err;
};

/* Held while the threads are made: they all start when it is let go */
static pthread_mutex_t start_gate = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool stop;

static int put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int r;

	if (!f)
		return -errno;
	r = fputs(s, f) < 0 ? -EIO : 0;
	if (fclose(f) && !r)
		r = -errno;
	return r;
}

/* @path's first line into @buf: 0 or -errno */
static int get(const char *path, char *buf, int size)
{
	FILE *f = fopen(path, "r");
	int r = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, size, f))
		r = -EIO;
	fclose(f);
	return r;
}

/* The key's value in sevsim0's debugfs state ("key: value" lines), or -1 */
static long long sim_state(const char *key)
{
	size_t klen = strlen(key);
	long long v = -1;
	char line[128];
	FILE *f;

	f = fopen(SIM_STATE, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			v = strtoll(line + klen + 1, NULL, 0);
	fclose(f);
	return v;
}

/* sev-psp-sim's chip_secret into chip_secret[]: 0, or -EINVAL if none */
static int read_chip_secret(void)
{
	char buf[80];
	unsigned int i, b;

	if (get(SIM_SECRET, buf, sizeof(buf)) || strlen(buf) < 64)
		return -EINVAL;
	for (i = 0; i < sizeof(chip_secret); i++) {
		if (sscanf(buf + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		chip_secret[i] = b;
	}
	return 0;
}

/* sevsim0 made afresh, with a chip_secret known here; /dev/sev open */
static int greq_device(void)
{
	const char *dir = getenv("SEV_MODULE_DIR");
	char cmd[512];

	if (sev_fd >= 0)
		close(sev_fd);
	sev_fd = -1;
	put(SIM_BUS "/del_device", "0");
	if (read_chip_secret()) {
		snprintf(cmd, sizeof(cmd),
			 "rmmod sev-psp-sim && insmod %s/sev-psp-sim.ko chip_secret=%s",
			 dir ? dir : "/modules", CHIP_SECRET);
		printf("guest-req sev-psp-sim reloaded with chip_secret=%s\n",
		       CHIP_SECRET);
		if (system(cmd) || read_chip_secret()) {
			fprintf(stderr, "guest-req: no sev-psp-sim with a chip_secret (%s)\n",
				cmd);
			return -ENODEV;
		}
	}
	if (put(SIM_BUS "/new_device", "0")) {
		fprintf(stderr, "guest-req: cannot make sevsim0\n");
		return -ENODEV;
	}
	fw_launches = 0;
	return sev_open();
}

/* VMPCK0 of the simulated firmware's @launch-th launch */
static int sim_vmpck0(uint64_t launch, uint8_t *vmpck)
{
	struct {
		char label[16];
		uint64_t launch;
		uint32_t index;
	} __packed in = { .label = "vmpck", .launch = htole64(launch) };
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!HMAC(EVP_sha384(), chip_secret, sizeof(chip_secret),
		  (void *)&in, sizeof(in), mac, &len) || len < SNP_MSG_VMPCK_LEN)
		return -EIO;
	memcpy(vmpck, mac, SNP_MSG_VMPCK_LEN);
	return 0;
}

/*
 * An SNP VM of @nr vCPUs launched and running: the secrets page measured
 * in, SNP_LAUNCH_FINISH, each vCPU's GHCB registered, the channel on
 * VMPCK0. 0 or -errno.
 */
static int greq_vm_new(struct greq_vm *v, unsigned int nr)
{
	struct kvm_sev_snp_launch_update upd = {
		.gfn_start = SECRETS_GPA >> 12,
		.len = BENCH_PAGE_SIZE,
		.type = KVM_SEV_SNP_PAGE_TYPE_SECRETS,
	};
	struct kvm_memory_attributes attr = {
		.address = SECRETS_GPA, .size = BENCH_PAGE_SIZE,
		.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};
	struct kvm_sev_snp_launch_finish finish = { 0 };
	uint8_t vmpck[SNP_MSG_VMPCK_LEN];
	unsigned int i;
	int r;

	pthread_mutex_init(&v->lock, NULL);
	r = snp_vm_new(&v->g, GHCB_GPA(nr), nr);
	if (r)
		return r;
	upd.uaddr = (uintptr_t)v->g.shared + SECRETS_GPA;
	if (ioctl(v->g.vm, KVM_SET_MEMORY_ATTRIBUTES, &attr))
		return -errno;
	r = sev_op(v->g.vm, KVM_SEV_SNP_LAUNCH_UPDATE, &upd);
	r = r ?: sev_op(v->g.vm, KVM_SEV_SNP_LAUNCH_FINISH, &finish);
	for (i = 0; i < nr && !r; i++)
		r = ghcb_register(v->g.vcpu[i], GHCB_GPA(i));
	r = r ?: sim_vmpck0(fw_launches, vmpck);
	return r ?: snp_guest_chan_init(&v->chan, vmpck, 0);
}

static void greq_vm_free(struct greq_vm *v)
{
	snp_guest_chan_wipe(&v->chan);
	snp_vm_free(&v->g);
	pthread_mutex_destroy(&v->lock);
}

static void *page_at(struct greq_vm *v, uint64_t gpa)
{
	return v->g.shared + gpa;
}

/* One report, request to checked answer, on vCPU @i: 0 or -errno */
static int greq_one(struct greq_vm *v, unsigned int i, unsigned long *busy)
{
	struct ghcb *ghcb = page_at(v, GHCB_GPA(i));
	struct sev_psp_report_rsp rsp;
	uint8_t data[64];
	int r, len;

	memset(data, i, sizeof(data));
	pthread_mutex_lock(&v->lock);
	r = snp_msg_report_req(&v->chan, data, 0, page_at(v, REQ_GPA(i)));
	while (!r) {
		ghcb_init(ghcb, 2);
		ghcb_set_guest_request(ghcb, REQ_GPA(i), RESP_GPA(i));
		r = vmgexit(v->g.vcpu[i], GHCB_GPA(i));
		if (r != BENCH_RESUMED) {
			r = r ?: -EPROTO;
			break;
		}
		r = 0;
		if (ghcb_guest_request_vmm_error(ghcb) != SNP_GUEST_VMM_ERR_BUSY)
			break;
		/* throttled: the same message again a little later */
		(*busy)++;
		usleep(1000);
	}
	if (!r && (ghcb_exit_info_1(ghcb) || ghcb_exit_info_2(ghcb)))
		r = -EIO;
	if (!r) {
		len = snp_msg_open(&v->chan, page_at(v, RESP_GPA(i)),
				   SNP_MSG_REPORT_RSP, &rsp, sizeof(rsp));
		if (len != sizeof(rsp) || rsp.status ||
		    memcmp(rsp.report.report_data, data, sizeof(data)))
			r = len < 0 ? len : -EBADMSG;
	}
	pthread_mutex_unlock(&v->lock);
	return r;
}

static void *greq_thread(void *arg)
{
	struct greq_worker *w = arg;

	pthread_mutex_lock(&start_gate);
	pthread_mutex_unlock(&start_gate);
	while (!stop && !w->err) {
		w->err = greq_one(w->vm, w->idx, &w->busy);
		if (!w->err)
			w->done++;
	}
	return NULL;
}

/* What one measurement gave */
struct greq_result {
	double rate;		/* requests per second */
	double fw_us;		/* the firmware's own time per request */
	double fw_busy;		/* the share of the time it was busy */
	unsigned long busy;	/* BUSY answers */
};

/* @n workers at once for @secs: 0 or the first error */
static int greq_run(struct greq_worker *w, unsigned int n, double secs,
		    struct greq_result *res)
{
	struct timespec wait = {
		.tv_sec = secs, .tv_nsec = (secs - (long)secs) * 1e9,
	};
	long long ns0, ns1;
	unsigned long done = 0;
	unsigned int i, started;
	double t0, t;
	int err = 0;

	memset(res, 0, sizeof(*res));
	stop = false;
	pthread_mutex_lock(&start_gate);
	for (started = 0; started < n; started++)
		if (pthread_create(&w[started].thread, NULL, greq_thread,
				   &w[started]))
			break;
	if (started < n) {
		stop = true;
		err = -EAGAIN;
	}
	t0 = now_s();
	ns0 = sim_state("fw_ns");
	pthread_mutex_unlock(&start_gate);
	if (!err)
		nanosleep(&wait, NULL);
	stop = true;
	for (i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		done += w[i].done;
		res->busy += w[i].busy;
		if (w[i].err && !err)
			err = w[i].err;
	}
	t = now_s() - t0;
	ns1 = sim_state("fw_ns");
	res->rate = done / t;
	if (done && ns0 >= 0 && ns1 >= ns0) {
		res->fw_us = (ns1 - ns0) / 1e3 / done;
		res->fw_busy = (ns1 - ns0) / 1e9 / t;
	}
	return err;
}

/* @nr_vms VMs of @nr_vcpus vCPUs, a thread each, for @secs */
static int greq_measure(unsigned int nr_vms, unsigned int nr_vcpus,
			double secs, struct greq_result *res)
{
	struct greq_worker w[BENCH_MAX_VCPUS] = { 0 };
	struct greq_vm *vms;
	unsigned int i, j, n = 0;
	int r = 0;

	vms = calloc(nr_vms, sizeof(*vms));
	if (!vms)
		return -ENOMEM;
	for (i = 0; i < nr_vms && !r; i++) {
		r = greq_vm_new(&vms[i], nr_vcpus);
		for (j = 0; j < nr_vcpus && !r; j++, n++) {
			w[n].vm = &vms[i];
			w[n].idx = j;
		}
	}
	/* one each first, untimed: the paths warm (TCG translates them) */
	for (j = 0; j < n && !r; j++)
		r = greq_one(w[j].vm, w[j].idx, &w[j].busy);
	if (!r)
		r = greq_run(w, n, secs, res);
	while (i--)
		greq_vm_free(&vms[i]);
	free(vms);
	return r;
}

static void print_result(const char *what, const struct greq_result *res)
{
	printf("guest-req %-20s %7.1f /s (firmware %.2f ms a request, busy %.0f%%)\n",
	       what, res->rate, res->fw_us / 1e3, res->fw_busy * 100);
}

int bench_guest_req(unsigned int nr, double secs)
{
	struct greq_result one, vcpus, vms;
	struct crypto_rates c;
	char what[64], rate[32] = "?";
	int r;

	if (nr > BENCH_MAX_VCPUS)
		nr = BENCH_MAX_VCPUS;
	get(RATE_PARAM, rate, sizeof(rate));
	rate[strcspn(rate, "\n")] = '\0';
	r = greq_device();
	r = r ?: greq_measure(1, 1, secs, &one);
	if (!r)
		print_result("1 vCPU", &one);
	r = r ?: greq_measure(1, nr, secs, &vcpus);
	if (!r) {
		snprintf(what, sizeof(what), "%u vCPUs of one VM", nr);
		print_result(what, &vcpus);
	}
	r = r ?: greq_measure(nr, 1, secs, &vms);
	if (!r) {
		snprintf(what, sizeof(what), "%u VMs of one vCPU", nr);
		print_result(what, &vms);
		/* one mailbox: the firmware takes one command at a time */
		printf("guest-req %u VMs at once: %.2fx one VM's rate: the firmware is serial\n",
		       nr, vms.rate / one.rate);
		printf("guest-req guest_req_rate %s (0: no limit); BUSY answers: %lu\n",
		       rate, one.busy + vcpus.busy + vms.busy);
	}
	if (r) {
		fprintf(stderr, "guest-req: %s\n", strerror(-r));
		return 1;
	}
	r = bench_report_crypto(secs / 2, &c);
	if (r) {
		fprintf(stderr, "guest-req: OpenSSL: %s\n", strerror(-r));
		return 1;
	}
	printf("guest-req OpenSSL, one CPU: ECDSA P-384 sign %.0f /s,", c.sign);
	printf(" AES-256-GCM seal of a report %.0f /s: %.0f reports/s\n",
	       c.seal, 1 / (1 / c.sign + 1 / c.seal));
	return 0;
}
