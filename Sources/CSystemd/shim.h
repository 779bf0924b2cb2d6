// libsystemd's journal API (sd_journal_sendv) for the SystemdSupport module. The readiness protocol (sd_notify) is
// spoken directly by SystemdNotifier, which must honour a NOTIFY_SOCKET given in its environment parameter.
#include <systemd/sd-journal.h>
