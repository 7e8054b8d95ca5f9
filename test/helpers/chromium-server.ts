/**
 * vitest globalSetup of the browser project: one Chromium for the whole run, launched once here
 * instead of once per test file (a launch costs seconds of CPU on a two-core machine). Each test
 * file reaches it through `launchBrowser()` with a connection of its own: its contexts are its
 * own, and closing the connection closes them, never the shared browser.
 */
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { chromiumLaunchOptions } from './chromium-path.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The shared Chromium's Playwright endpoint (ws://…), for `chromium.connect`. */
		chromiumEndpoint: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const server = await chromium.launchServer(chromiumLaunchOptions());
	project.provide('chromiumEndpoint', server.wsEndpoint());
	return () => server.close();
}
