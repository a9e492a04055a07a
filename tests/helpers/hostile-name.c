/* hostile-name HEX [zombie]: a process whose comm is arbitrary bytes.
 *
 * Any user can name a process with PR_SET_NAME, so comm may hold terminal
 * escapes (1b5b324a is ESC [2J, "clear screen"), newlines, ") " that fools
 * a naive /proc/PID/stat parser, or invalid UTF-8. Tools must escape it on
 * output and parse stat from the last ')'. HEX is the name as hex bytes,
 * 01 to ff (a NUL would end the name); the kernel keeps the first 15.
 * With "zombie", a child also names itself so and exits unreaped, because
 * zombie reports print the comm of a process that can no longer be asked.
 *
 * Output: "pid PID", "zombie PID" with the zombie argument, "ready". Then
 * pause until killed.
 */
#include <sys/prctl.h>
#include <sys/types.h>

#include "helper.h"

#define USAGE "HEX [zombie]"
/* Longer than comm can ever be, so truncation is the kernel's job. */
#define MAX_NAME 64
#define EXIT_TIMEOUT_MS 5000

int main(int argc, char **argv)
{
	char name[MAX_NAME + 1];
	pid_t kid = 0;
	int zombie = 0;

	if (argc == 3 && !strcmp(argv[2], "zombie"))
		zombie = 1;
	else if (argc != 2)
		helper_usage(USAGE);
	if (helper_decode_hex(argv[1], name, MAX_NAME) < 0)
		helper_usage(USAGE);

	helper_init();
	if (prctl(PR_SET_NAME, name, 0, 0, 0) < 0)
		err(1, "prctl PR_SET_NAME");

	if (zombie) {
		kid = fork();
		if (kid < 0)
			err(1, "fork");
		if (kid == 0) {
			/* fork copied our comm already; setting it again keeps
			 * the zombie's name from depending on that. */
			if (prctl(PR_SET_NAME, name, 0, 0, 0) < 0)
				_exit(1);
			_exit(0);
		}
		if (helper_wait_state(kid, 'Z', EXIT_TIMEOUT_MS) < 0)
			errx(1, "child %d did not exit within %d ms", (int)kid,
			     EXIT_TIMEOUT_MS);
	}

	printf("pid %d\n", (int)getpid());
	if (zombie)
		printf("zombie %d\n", (int)kid);
	helper_ready();
	helper_pause_forever();
}
