/** Collects what must never happen in the dashboard: uncaught errors and CSP violations. */
import type { Page } from '@playwright/test';

export interface PageProblems {
  errors: string[];
}

export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { errors: [] };
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) {
      problems.errors.push(`csp: ${text}`);
    }
  });
  return problems;
}
