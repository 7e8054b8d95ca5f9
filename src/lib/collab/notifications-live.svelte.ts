/**
 * The bell's live side: each notification that arrives over socket.io (`notification:new`, to this
 * person's room) is announced politely and re-runs the data that depends on `app:notifications` (the
 * layout's unread count and the inbox), so the count shown is always the server's. It is also passed
 * on as a `mc:notification` window event (my work refreshes on it).
 */
import { invalidate } from '$app/navigation';
import { notificationView } from '../protocol/notifications.ts';
import { RoomConnection, type RoomSocket } from './room-socket.ts';

export const notificationsDependency = 'app:notifications';

export class NotificationsLive {
	#announcement = $state('');
	#connection = new RoomConnection();

	/** The latest arrival, for an aria-live="polite" region. */
	get announcement(): string {
		return this.#announcement;
	}

	connect(): void {
		this.#connection.open((socket) => this.#listen(socket));
	}

	#listen(socket: RoomSocket): void {
		// Whatever arrived between the page's load and this connection (or while reconnecting) is
		// fetched once on every connection.
		socket.on('connect', () => {
			void invalidate(notificationsDependency);
			window.dispatchEvent(new CustomEvent('mc:notification'));
		});
		socket.on('notification:new', (value) => {
			const parsed = notificationView.safeParse(value);
			if (!parsed.success) return;
			this.#announcement = `New notification: ${parsed.data.text}`;
			window.dispatchEvent(new CustomEvent('mc:notification', { detail: parsed.data }));
			void invalidate(notificationsDependency);
		});
	}

	/** Idempotent. */
	destroy(): void {
		this.#connection.close();
	}
}
