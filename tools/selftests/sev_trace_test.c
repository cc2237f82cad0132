// SPDX-License-Identifier: GPL-2.0
/*
 * sev-psp's trace events, read back through tracefs as a user would:
 * each firmware command's start and end (id, name, firmware status,
 * return value, duration), firmware pages made firmware-owned, reclaimed
 * and leaked, and /dev/sev's SEV_ISSUE_CMD.
 *
 * The events go to a tracing instance of the test's own, so the global
 * buffer and whatever /init left enabled there are not touched. Each test
 * gets a fresh simulated PSP (sevsim0, register layout v2, SNP up), clears
 * the instance's buffer, issues its commands and reads the buffer.
 */
#include <limits.h>

#include "kselftest_harness.h"
#include "sev_test_util.h"
#include "tracefs_util.h"

#define SIM_ID		0
#define SIM_DEV		"psp-sevsim0"
#define INSTANCE	TRACEFS "/instances/sev_trace_test"
#define TRACE_MAX	(1024 * 1024)
#define MAX_EVENTS	256
#define NONE		LLONG_MIN	/* a field the event does not have */

/* Firmware command ids (spec 55766, 56860) */
#define CMD_PLATFORM_STATUS	0x004
#define CMD_SNP_PLATFORM_STATUS	0x083
#define CMD_SNP_PAGE_RECLAIM	0x0c7

/* One line of the trace, its fields by name */
struct sev_event {
	char event[48];
	char dev[32];
	char name[32];
	char op[16];
	long long cmd, status, ret, duration_ns, pfn, count, error;
};

/* The instance's buffer as read, and its sev_psp events in order */
struct trace_log {
	char *text;
	struct sev_event ev[MAX_EVENTS];
	int n;
};

FIXTURE(trace) {
	int fd;
	int fd_ro;
	struct trace_log t;
};

static int instance_write(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), INSTANCE "/%s", file);
	return write_file(path, "%s", val);
}

/* "key=value": a string field, or a number in any base with a sign */
static void parse_field(struct sev_event *e, const char *key, const char *val)
{
	long long v = strtoll(val, NULL, 0);

	if (!strcmp(key, "dev"))
		snprintf(e->dev, sizeof(e->dev), "%s", val);
	else if (!strcmp(key, "name"))
		snprintf(e->name, sizeof(e->name), "%s", val);
	else if (!strcmp(key, "op"))
		snprintf(e->op, sizeof(e->op), "%s", val);
	else if (!strcmp(key, "cmd"))
		e->cmd = v;
	else if (!strcmp(key, "status"))
		e->status = v;
	else if (!strcmp(key, "ret"))
		e->ret = v;
	else if (!strcmp(key, "duration_ns"))
		e->duration_ns = v;
	else if (!strcmp(key, "pfn"))
		e->pfn = v;
	else if (!strcmp(key, "count"))
		e->count = v;
	else if (!strcmp(key, "error"))
		e->error = v;
}

/*
 * One trace line, "  comm-pid [cpu] flags ts: EVENT: k=v k=v ...", into
 * @e; 0, or -1 for a line that is not a sev_psp event.
 */
static int parse_line(char *line, struct sev_event *e)
{
	char *p = strstr(line, ": sev_psp_"), *tok, *save, *eq;

	if (!p)
		return -1;
	p += 2;
	tok = strchr(p, ':');
	if (!tok)
		return -1;
	*tok = '\0';
	*e = (struct sev_event){
		.cmd = NONE, .status = NONE, .ret = NONE, .duration_ns = NONE,
		.pfn = NONE, .count = NONE, .error = NONE,
	};
	snprintf(e->event, sizeof(e->event), "%s", p);
	for (tok = strtok_r(tok + 1, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = '\0';
		parse_field(e, tok, eq + 1);
	}
	return 0;
}

/* The instance's buffer into @t; how many sev_psp events, or -errno */
static int trace_read(struct trace_log *t)
{
	char *line, *save, *copy;
	int ret;

	ret = tracefs_read(INSTANCE, t->text, TRACE_MAX);
	if (ret < 0)
		return ret;
	copy = strdup(t->text);
	if (!copy)
		return -ENOMEM;
	t->n = 0;
	for (line = strtok_r(copy, "\n", &save); line && t->n < MAX_EVENTS;
	     line = strtok_r(NULL, "\n", &save))
		if (!parse_line(line, &t->ev[t->n]))
			t->n++;
	free(copy);
	return t->n;
}

/* The first @event at or after @from with this name (any for NULL); -1 */
static int find(struct trace_log *t, int from, const char *event,
		const char *name)
{
	int i;

	for (i = from; i >= 0 && i < t->n; i++)
		if (!strcmp(t->ev[i].event, event) &&
		    (!name || !strcmp(t->ev[i].name, name)))
			return i;
	return -1;
}

/*
 * The first sev_psp_fw_pages event at or after @from with this op, for
 * @pfn (any for NONE); -1
 */
static int find_pages(struct trace_log *t, int from, const char *op,
		      long long pfn)
{
	int i;

	for (i = from; i >= 0 && i < t->n; i++)
		if (!strcmp(t->ev[i].event, "sev_psp_fw_pages") &&
		    !strcmp(t->ev[i].op, op) &&
		    (pfn == NONE || t->ev[i].pfn == pfn))
			return i;
	return -1;
}

/*
 * Command @name (id @cmd) from @from on: its start, then its end with
 * @status, @ret and a duration. Returns the end's index, -1 if missing.
 */
static int expect_command(struct __test_metadata *_metadata,
			  struct trace_log *t, int from, const char *name,
			  long long cmd, long long status, long long ret)
{
	int start = find(t, from, "sev_psp_cmd_start", name);
	int done = find(t, start, "sev_psp_cmd_done", name);

	EXPECT_LE(0, start) TH_LOG("no start of %s:\n%s", name, t->text);
	EXPECT_LE(0, done) TH_LOG("no end of %s:\n%s", name, t->text);
	if (done < 0)
		return -1;
	EXPECT_EQ(cmd, t->ev[start].cmd);
	EXPECT_STREQ(SIM_DEV, t->ev[start].dev);
	EXPECT_EQ(cmd, t->ev[done].cmd);
	EXPECT_STREQ(SIM_DEV, t->ev[done].dev);
	EXPECT_EQ(status, t->ev[done].status);
	EXPECT_EQ(ret, t->ev[done].ret);
	EXPECT_LT(0, t->ev[done].duration_ns) TH_LOG("%s", t->text);
	return done;
}

/* The ioctl event for @name from @from on, with @ret and @error */
static void expect_ioctl(struct __test_metadata *_metadata,
			 struct trace_log *t, int from, const char *name,
			 long long cmd, long long ret, long long error)
{
	int i = find(t, from, "sev_psp_ioctl", name);

	ASSERT_LE(0, i) TH_LOG("no ioctl %s at the end:\n%s", name, t->text);
	EXPECT_EQ(cmd, t->ev[i].cmd);
	EXPECT_EQ(ret, t->ev[i].ret);
	EXPECT_EQ(error, t->ev[i].error);
}

/* The next command @cmd is refused with firmware status @status; 0 */
static int fail_next(unsigned int status, unsigned int cmd)
{
	char knob[32];
	int ret;

	snprintf(knob, sizeof(knob), "%#x 1 %#x", status, cmd);
	ret = sim_knob(SIM_ID, "fault_status", knob);
	return ret ?: tracefs_clear(INSTANCE);
}

FIXTURE_SETUP(trace)
{
	struct stat st;
	int ret;

	self->fd = -1;
	self->fd_ro = -1;
	ret = tracefs_mount();
	if (ret)
		SKIP(return, "no tracefs (%s)", strerror(-ret));
	if (stat(TRACEFS "/events/sev_psp", &st))
		SKIP(return, "no sev_psp events (sev-psp not loaded, no tracing)");

	self->t.text = malloc(TRACE_MAX);
	ASSERT_NE(NULL, self->t.text);
	ASSERT_EQ(0, sim_fresh_device(SIM_ID, &self->fd, &self->fd_ro));
	rmdir(INSTANCE);	/* left by a test that died */
	ASSERT_EQ(0, mkdir(INSTANCE, 0700)) TH_LOG("mkdir %s: %s", INSTANCE,
						   strerror(errno));
	ASSERT_EQ(0, instance_write("events/sev_psp/enable", "1"));
	ASSERT_EQ(0, instance_write("tracing_on", "1"));
	ASSERT_EQ(0, tracefs_clear(INSTANCE));
}

FIXTURE_TEARDOWN(trace)
{
	/* the events off and the buffer gone, whatever the test did */
	instance_write("events/sev_psp/enable", "0");
	rmdir(INSTANCE);
	if (self->fd >= 0)
		close(self->fd);
	if (self->fd_ro >= 0)
		close(self->fd_ro);
	sim_del(SIM_ID);
	free(self->t.text);
}

/*
 * Each event's format (what trace-cmd, perf and BPF read) names the fields
 * Documentation/sev-psp.rst lists.
 */
TEST_F(trace, formats_have_the_documented_fields)
{
	static const struct {
		const char *event;
		const char *fields[7];
	} formats[] = {
		{ "sev_psp_cmd_start", { "dev", "cmd", "name" } },
		{ "sev_psp_cmd_done", { "dev", "cmd", "name", "status", "ret",
					"duration_ns" } },
		{ "sev_psp_fw_pages", { "pfn", "count", "op" } },
		{ "sev_psp_ioctl", { "cmd", "name", "ret", "error" } },
	};
	char path[256], want[64], *text = self->t.text;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		snprintf(path, sizeof(path), INSTANCE "/events/sev_psp/%s/format",
			 formats[i].event);
		ASSERT_LT(0, read_file(path, text, TRACE_MAX))
			TH_LOG("%s: %s", path, strerror(errno));
		for (j = 0; formats[i].fields[j]; j++) {
			/* "field:TYPE NAME;" or "field:char NAME[32];" */
			snprintf(want, sizeof(want), " %s;", formats[i].fields[j]);
			if (strstr(text, want))
				continue;
			snprintf(want, sizeof(want), " %s[", formats[i].fields[j]);
			EXPECT_NE(NULL, strstr(text, want))
				TH_LOG("%s has no field %s:\n%s", formats[i].event,
				       formats[i].fields[j], text);
		}
	}
}

/*
 * An ioctl whose command's firmware writes a page of the driver's: the
 * page made firmware-owned, the command @name with status 0, PAGE_RECLAIM
 * giving the page back, and the ioctl @ioctl ending; in that order, each
 * command with its id, status 0 and a duration.
 */
static void expect_fw_page_ioctl(struct __test_metadata *_metadata,
				 struct trace_log *t, const char *name,
				 long long cmd, const char *ioctl,
				 long long ioctl_cmd)
{
	int owned, done, reclaim, reclaimed;

	ASSERT_LT(0, trace_read(t)) TH_LOG("no sev_psp event:\n%s", t->text);
	owned = find_pages(t, 0, "owned", NONE);
	ASSERT_LE(0, owned) TH_LOG("no page made firmware-owned:\n%s", t->text);
	EXPECT_EQ(1, t->ev[owned].count);
	done = expect_command(_metadata, t, owned, name, cmd, 0, 0);
	ASSERT_LE(0, done);
	reclaim = expect_command(_metadata, t, done, "SNP_PAGE_RECLAIM",
				 CMD_SNP_PAGE_RECLAIM, 0, 0);
	ASSERT_LE(0, reclaim);
	reclaimed = find_pages(t, reclaim, "reclaimed", t->ev[owned].pfn);
	ASSERT_LE(0, reclaimed) TH_LOG("pfn %#llx not reclaimed:\n%s",
				       t->ev[owned].pfn, t->text);
	EXPECT_EQ(1, t->ev[reclaimed].count);
	EXPECT_EQ(-1, find_pages(t, 0, "leaked", NONE));
	expect_ioctl(_metadata, t, reclaimed, ioctl, ioctl_cmd, 0, 0);
}

/* SEV_PLATFORM_STATUS with SNP up: the command buffer is bounced. */
TEST_F(trace, platform_status)
{
	struct sev_user_data_status st;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd_ro, SEV_PLATFORM_STATUS, &st, &error));
	expect_fw_page_ioctl(_metadata, &self->t, "PLATFORM_STATUS",
			     CMD_PLATFORM_STATUS, "SEV_PLATFORM_STATUS",
			     SEV_PLATFORM_STATUS);
}

/* SNP_PLATFORM_STATUS: the firmware writes a status page. */
TEST_F(trace, snp_platform_status)
{
	struct sev_user_data_snp_status st;
	uint32_t error;

	ASSERT_EQ(0, sev_cmd(self->fd_ro, SNP_PLATFORM_STATUS, &st, &error));
	expect_fw_page_ioctl(_metadata, &self->t, "SNP_PLATFORM_STATUS",
			     CMD_SNP_PLATFORM_STATUS, "SNP_PLATFORM_STATUS",
			     SNP_PLATFORM_STATUS);
}

/*
 * A command the firmware refuses (the simulator's fault_status): its end
 * shows the firmware's status and -EIO, and the ioctl the status userspace
 * gets in .error.
 */
TEST_F(trace, failed_command_shows_its_status)
{
	struct trace_log *t = &self->t;
	struct sev_user_data_status st;
	uint32_t error;
	int done;

	ASSERT_EQ(0, fail_next(SEV_RET_INVALID_PARAM, CMD_PLATFORM_STATUS));
	EXPECT_EQ(-EIO, sev_cmd(self->fd_ro, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(SEV_RET_INVALID_PARAM, error);
	ASSERT_LT(0, trace_read(t));

	done = expect_command(_metadata, t, 0, "PLATFORM_STATUS",
			      CMD_PLATFORM_STATUS, SEV_RET_INVALID_PARAM, -EIO);
	ASSERT_LE(0, done);
	expect_ioctl(_metadata, t, done, "SEV_PLATFORM_STATUS",
		     SEV_PLATFORM_STATUS, -EIO, SEV_RET_INVALID_PARAM);
}

/*
 * A page the firmware keeps (PAGE_RECLAIM refused): the refusal with its
 * status, the page leaked and not reclaimed, the ioctl -EFAULT.
 */
TEST_F(trace, page_the_firmware_keeps_is_leaked)
{
	struct trace_log *t = &self->t;
	struct sev_user_data_snp_status st;
	int owned, reclaim, leaked;
	uint32_t error;

	ASSERT_EQ(0, fail_next(SEV_RET_INVALID_PAGE_STATE,
			       CMD_SNP_PAGE_RECLAIM));
	EXPECT_EQ(-EFAULT, sev_cmd(self->fd_ro, SNP_PLATFORM_STATUS, &st,
				   &error));
	ASSERT_LT(0, trace_read(t));

	owned = find_pages(t, 0, "owned", NONE);
	ASSERT_LE(0, owned) TH_LOG("%s", t->text);
	reclaim = expect_command(_metadata, t, owned, "SNP_PAGE_RECLAIM",
				 CMD_SNP_PAGE_RECLAIM,
				 SEV_RET_INVALID_PAGE_STATE, -EIO);
	ASSERT_LE(0, reclaim);
	leaked = find_pages(t, reclaim, "leaked", t->ev[owned].pfn);
	ASSERT_LE(0, leaked) TH_LOG("pfn %#llx not leaked:\n%s",
				    t->ev[owned].pfn, t->text);
	EXPECT_EQ(1, t->ev[leaked].count);
	EXPECT_EQ(-1, find_pages(t, 0, "reclaimed", t->ev[owned].pfn));
	expect_ioctl(_metadata, t, leaked, "SNP_PLATFORM_STATUS",
		     SNP_PLATFORM_STATUS, -EFAULT, 0);
}

/* An id no handler takes: traced as "unknown", -EINVAL, no command */
TEST_F(trace, unknown_ioctl)
{
	struct trace_log *t = &self->t;
	struct sev_user_data_status st;
	uint32_t error;

	EXPECT_EQ(-EINVAL, sev_cmd(self->fd, 0x7fffffff, &st, &error));
	ASSERT_LT(0, trace_read(t));
	expect_ioctl(_metadata, t, 0, "unknown", 0x7fffffff, -EINVAL, 0);
	EXPECT_EQ(-1, find(t, 0, "sev_psp_cmd_start", NULL));
}

/* Disabled, the events record nothing. */
TEST_F(trace, disabled_events_record_nothing)
{
	struct sev_user_data_status st;
	uint32_t error;

	ASSERT_EQ(0, instance_write("events/sev_psp/enable", "0"));
	ASSERT_EQ(0, sev_cmd(self->fd_ro, SEV_PLATFORM_STATUS, &st, &error));
	EXPECT_EQ(0, trace_read(&self->t)) TH_LOG("%s", self->t.text);
}

TEST_HARNESS_MAIN
