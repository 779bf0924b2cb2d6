// glibc's GNU extensions that Swift's Glibc module leaves out (they need _GNU_SOURCE), for the Exec= forward target.
#ifndef CSPAWN_H
#define CSPAWN_H
#include <spawn.h>

/// pipe2(2) with O_CLOEXEC: no other spawn can inherit the pipe between its creation and the flag.
int cspawn_pipe_cloexec(int fds[2]);
/// posix_spawn_file_actions_addchdir_np: the child starts in this directory.
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
/// posix_spawn_file_actions_addclosefrom_np: every descriptor from `lowest` up is closed in the child.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);
#endif
