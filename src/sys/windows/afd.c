/*
 * The AFD driver: the kernel side of Winsock. Polling a socket through
 * it (IOCTL_AFD_POLL) is what select() does inside, but overlapped, so
 * readiness arrives as a packet on a completion port: wepoll's and mio's
 * strategy. Nothing here is documented by Microsoft; the structures and
 * codes are those wepoll and mio rely on.
 */

#include "win_internal.h"

#define IOCTL_AFD_POLL 0x00012024

/*
 * ntdll exports it; the SDK's winternl.h does not declare it (Wine's
 * does, as NTSYSAPI: so this declaration is the same).
 */
NTSYSAPI NTSTATUS NTAPI NtCancelIoFileEx(HANDLE file, PIO_STATUS_BLOCK request,
					 PIO_STATUS_BLOCK status);

/*
 * Any name under \Device\Afd opens the driver; without extended
 * attributes the handle has no endpoint, so it is not a socket.
 */
static WCHAR afd_name[] = L"\\Device\\Afd\\Mio";

int mio__afd_open(HANDLE iocp, HANDLE *out)
{
	UNICODE_STRING name = { sizeof(afd_name) - sizeof(WCHAR),
				sizeof(afd_name), afd_name };
	OBJECT_ATTRIBUTES attrs;
	IO_STATUS_BLOCK iosb;
	HANDLE afd;
	NTSTATUS status;
	int err;

	InitializeObjectAttributes(&attrs, &name, 0, NULL, NULL);
	status = NtCreateFile(&afd, SYNCHRONIZE, &attrs, &iosb, NULL, 0,
			      FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0,
			      NULL, 0);
	if (status != MIO__STATUS_SUCCESS)
		return mio__nt_error(status);
	if (CreateIoCompletionPort(afd, iocp, MIO__KEY_AFD, 0) == NULL)
		goto out_close;
	/* Completions go to the port only; no event to signal. */
	if (!SetFileCompletionNotificationModes(afd,
						FILE_SKIP_SET_EVENT_ON_HANDLE))
		goto out_close;
	*out = afd;
	return 0;

out_close:
	err = mio__win_error(GetLastError());
	CloseHandle(afd);
	return err;
}

int mio__afd_poll(HANDLE afd, mio__afd_poll_info *info, IO_STATUS_BLOCK *iosb)
{
	NTSTATUS status;

	iosb->Status = MIO__STATUS_PENDING;
	status = NtDeviceIoControlFile(afd, NULL, NULL, iosb, iosb,
				       IOCTL_AFD_POLL, info, sizeof(*info),
				       info, sizeof(*info));
	/* Even a poll that completed at once queues its packet. */
	if (status == MIO__STATUS_SUCCESS || status == MIO__STATUS_PENDING)
		return 0;
	iosb->Status = status;
	return mio__nt_error(status);
}

int mio__afd_cancel(HANDLE afd, IO_STATUS_BLOCK *iosb)
{
	IO_STATUS_BLOCK cancel_iosb;
	NTSTATUS status;

	if (iosb->Status != MIO__STATUS_PENDING)
		return 0;
	status = NtCancelIoFileEx(afd, iosb, &cancel_iosb);
	/* NOT_FOUND: it completed just now; its packet is on the way. */
	if (status == MIO__STATUS_SUCCESS || status == MIO__STATUS_NOT_FOUND)
		return 0;
	return mio__nt_error(status);
}
