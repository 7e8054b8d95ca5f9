import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** WCAG 2.2 A/AA rules, as axe-core tags them. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The WCAG A/AA rules whose outcome depends on colours: all that a second colour scheme can
 * change on a page whose markup is the same (the light run of the same page checks the rest).
 */
export const colourRules = ['color-contrast', 'link-in-text-block'];

/**
 * axe-core's serious and critical violations on the page, one readable line each (empty when none).
 * `colourOnly` runs only the colour rules: for the dark scheme of a page already checked in light.
 */
export async function seriousViolations(page: Page, options: { colourOnly?: boolean } = {}): Promise<string[]> {
	const builder = new AxeBuilder({ page });
	const results = await (options.colourOnly ? builder.withRules(colourRules) : builder.withTags(wcagTags)).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')})`);
}
