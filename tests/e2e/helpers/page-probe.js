/* global window, document, Element, MutationObserver */
// Runs inside the dashboard page (plain JS: the tests' TypeScript has no DOM types).
// Records long tasks and, per camera card, the DOM commits that touched it.
(() => {
  const longTasks = [];
  const cardCommits = {};
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
  // One mutation batch touching a card = one render of it reaching the DOM.
  new MutationObserver((records) => {
    const touched = new Set();
    for (const record of records) {
      const element =
        record.target instanceof Element ? record.target : record.target.parentElement;
      const id = element?.closest('[data-testid="camera-card"]')?.getAttribute('data-camera-id');
      if (id) touched.add(id);
    }
    for (const id of touched) cardCommits[id] = (cardCommits[id] ?? 0) + 1;
  }).observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
  });

  /** Camera ids of the cards whose top is between `from` and `to` viewport heights. */
  function cardsBetween(from, to) {
    return [...document.querySelectorAll('[data-testid="camera-card"]')]
      .filter((card) => {
        const top = card.getBoundingClientRect().top / window.innerHeight;
        return top >= from && top < to;
      })
      .map((card) => card.getAttribute('data-camera-id'));
  }

  window.__dashboardProbe = {
    read: () => ({
      longTasks: [...longTasks],
      cardCommits: { ...cardCommits },
      onScreen: cardsBetween(-1, 1),
      farBelow: cardsBetween(2, Infinity),
    }),
  };
})();
