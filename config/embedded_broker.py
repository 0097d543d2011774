"""The embedded broker (no REDIS_URL): kombu's filesystem transport, made safe for a message
that is being written, or was never finished.

kombu's own transport creates a message's file in the queue folder and only then writes it; a
worker that lists the folder in between takes the empty file, fails to read it as JSON and stops
("Unrecoverable error: JSONDecodeError"): seen when beat, in the same worker, sent its sweep while
the worker looked for work, and a process killed while sending leaves such a file for good. Here
a message is written under a name no queue reads and renamed into the queue when it is whole (a
rename within a folder is atomic), and a file that still is no message (left by kombu's own
transport, or by a machine that lost power mid-write) is logged and skipped instead of stopping
the worker; the jobs it would have started are sent again by the sweep (JOB_UNCLAIMED_MINUTES).

Chosen by `CELERY_BROKER_TRANSPORT` in config/settings.py.
"""

import logging
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)

# What config/settings.py and a test's own embedded app name as the broker's transport.
TRANSPORT = "config.embedded_broker:Transport"
# A file being written: kombu reads a queue's message only from a name whose part after the
# first dot is "<queue>.msg".
PARTIAL = ".partial"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # kombu's name: the time first, so that the queue is read in the order it was sent.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        partial = path + PARTIAL
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, path)
        except OSError as error:
            raise ChannelError(f"Cannot add file {path!r} to directory") from error

    def _get(self, queue):
        while True:  # until a message reads, or the queue is empty (kombu raises Empty)
            try:
                return super()._get(queue)
            except ValueError as error:  # the file was taken off the queue before it was read
                logger.error("A message of queue %s was no message, skipped: %s", queue, error)


class Transport(filesystem.Transport):
    Channel = Channel
