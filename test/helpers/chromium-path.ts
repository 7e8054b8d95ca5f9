import { existsSync } from 'node:fs';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** The Chromium the browser tests drive: CHROMIUM_PATH, or the first one installed. */
export function chromiumPath(): string | undefined {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
	return candidates.find((path) => existsSync(path));
}

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/** How playwright-core starts the installed Chromium; a missing Chromium fails loudly. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[]; headless: true } {
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('Chromium is required for the browser tests: apt-get install chromium (Debian/Ubuntu), brew install --cask chromium (macOS), or set CHROMIUM_PATH.');
	return { executablePath, args: chromiumArgs, headless: true };
}
