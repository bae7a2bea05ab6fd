import { describe, expect, it, vi } from 'vitest';
import { MessageBudget } from '../../../src/main/streaming/message-budget';

/** Spends `count` replacements spread over the second that starts at `second`. */
function spendSecond(budget: MessageBudget, second: number, count: number): boolean {
  let over = false;
  for (let i = 0; i < count; i++) over = budget.spend(second * 1000 + (i * 999) / count) || over;
  return over;
}

describe('MessageBudget', () => {
  it('runs out only after three windows in a row over the limit', () => {
    const budget = new MessageBudget(10);
    expect(spendSecond(budget, 0, 11)).toBe(false);
    expect(spendSecond(budget, 1, 11)).toBe(false);
    expect(spendSecond(budget, 2, 11)).toBe(true);
  });

  it('never runs out at the limit', () => {
    const budget = new MessageBudget(10);
    for (let second = 0; second < 10; second++) expect(spendSecond(budget, second, 10)).toBe(false);
  });

  it('starts counting again after a window within the limit or a quiet one', () => {
    const budget = new MessageBudget(10);
    spendSecond(budget, 0, 50);
    spendSecond(budget, 1, 50);
    expect(spendSecond(budget, 2, 5)).toBe(false);
    spendSecond(budget, 3, 50);
    spendSecond(budget, 4, 50);
    // Second 5 is quiet: the run of windows over the limit is broken.
    expect(spendSecond(budget, 6, 50)).toBe(false);
    expect(spendSecond(budget, 7, 50)).toBe(false);
    expect(spendSecond(budget, 8, 50)).toBe(true);
  });

  it('pauses reading for the rest of a window over the limit, once, then resumes', () => {
    vi.useFakeTimers();
    try {
      const calls: string[] = [];
      const socket = { pause: () => calls.push('pause'), resume: () => calls.push('resume') };
      const budget = new MessageBudget(10);
      const start = Date.now();
      for (let i = 0; i < 10; i++) budget.spend(start + i, socket);
      expect(calls).toEqual([]);
      budget.spend(start + 10, socket);
      budget.spend(start + 11, socket);
      expect(calls).toEqual(['pause']);
      vi.advanceTimersByTime(980);
      expect(calls).toEqual(['pause']);
      vi.advanceTimersByTime(20);
      expect(calls).toEqual(['pause', 'resume']);
    } finally {
      vi.useRealTimers();
    }
  });
});
