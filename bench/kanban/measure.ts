import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";

export interface KanbanFigures {
  firstCardsMs: number[];
  interactiveMs: number[];
  cardsInDom: number;
  dragLandedMs: number[];
  dragConfirmedMs: number[];
  snapshotMs: number[];
  snapshotBytes: number;
  /** The /runs document as served (the first page of every column embedded), raw and gzipped. */
  htmlBytes: number;
  htmlGzipBytes: number;
  /** GET /api/board/columns/queued?after=… : the next page of a long column. */
  pageMs: number[];
  deltaMs: number[];
  longTasksDuringScroll: { count: number; maxMs: number };
  longTasksIdle: { count: number; maxMs: number };
  /** A run paused through the API → its card in the Paused column, with the live stream up. */
  changeVisibleLiveMs: number[];
  /** The same with /api/events blocked, so the board falls back to its 1 s poll. */
  changeVisiblePollMs: number[];
  chromium: string;
}

/** Records long tasks (main thread blocked > 50 ms) from now until read. */
async function watchLongTasks(page: Page): Promise<() => Promise<{ count: number; maxMs: number }>> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: "longtask" });
  });
  return async () =>
    page.evaluate(() => {
      const long = (window as unknown as { __long: number[] }).__long;
      return { count: long.length, maxMs: Math.round(Math.max(0, ...long)) };
    });
}

/** Drops a card on a column and times (in page time) the optimistic landing and the server's confirmation. */
async function timedDrag(page: Page, runId: string): Promise<{ landed: number; confirmed: number }> {
  await page.evaluate((id) => {
    const w = window as unknown as { __drop: number; __landed: number; __confirmed: number };
    w.__drop = 0;
    w.__landed = 0;
    w.__confirmed = 0;
    document.addEventListener("drop", () => (w.__drop = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const card = document.querySelector(`section[data-column="paused"] [data-run-card="${id}"]`);
      if (card && !w.__landed) w.__landed = performance.now();
      if (card && w.__landed && card.getAttribute("aria-busy") !== "true" && !w.__confirmed) {
        w.__confirmed = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["aria-busy"],
    });
  }, runId);
  const card = page.locator(`[data-run-card="${runId}"]`);
  await card.hover();
  await page.mouse.down();
  const box = await card.boundingBox();
  await page.mouse.move((box?.x ?? 0) + 30, (box?.y ?? 0) + 30, { steps: 2 });
  const target = await page.locator('section[data-column="paused"] header').boundingBox();
  await page.mouse.move((target?.x ?? 0) + 40, (target?.y ?? 0) + 12, { steps: 3 });
  await page.mouse.up();
  await page.waitForFunction(() => (window as unknown as { __confirmed: number }).__confirmed > 0, undefined, {
    timeout: 15_000,
  });
  return page.evaluate(() => {
    const w = window as unknown as { __drop: number; __landed: number; __confirmed: number };
    return { landed: w.__landed - w.__drop, confirmed: w.__confirmed - w.__drop };
  });
}

/**
 * Pauses a queued run through the API and times, on the wall clock both sides share, the
 * moment its card is in the Paused column. Measured from the request's start, so it
 * includes the control's own transaction (tens of ms), then NOTIFY → stream → delta
 * fetch → render with the stream, or waiting for the next poll without it.
 */
async function timedChange(page: Page, runId: string, control: (id: string) => Promise<void>): Promise<number> {
  await page.evaluate((id) => {
    const w = window as unknown as { __moved: number };
    w.__moved = 0;
    const observer = new MutationObserver(() => {
      if (document.querySelector(`section[data-column="paused"] [data-run-card="${id}"]`)) {
        w.__moved = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true });
  }, runId);
  const started = Date.now();
  await control(runId);
  await page.waitForFunction(() => (window as unknown as { __moved: number }).__moved > 0, undefined, {
    timeout: 20_000,
  });
  const moved = await page.evaluate(() => (window as unknown as { __moved: number }).__moved);
  return moved - started;
}

async function changeLatencies(page: Page, samples: number, control: (id: string) => Promise<void>) {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const id = await page.locator('section[data-column="queued"] [data-run-card]').nth(1).getAttribute("data-run-card");
    if (!id) throw new Error("no queued card to pause");
    out.push(await timedChange(page, id, control));
    // A random gap, so the samples do not fall into step with the 1 s poll.
    await page.waitForTimeout(300 + Math.random() * 900);
  }
  return out;
}

export async function measureKanban(options: {
  baseURL: string;
  token: string;
  loads: number;
  drags: number;
  changes: number;
}): Promise<KanbanFigures> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--disable-gpu"],
  });
  const context = await browser.newContext({
    baseURL: options.baseURL,
    viewport: { width: 1440, height: 900 },
    extraHTTPHeaders: { authorization: `Bearer ${options.token}` },
  });
  const figures: KanbanFigures = {
    firstCardsMs: [],
    interactiveMs: [],
    cardsInDom: 0,
    dragLandedMs: [],
    dragConfirmedMs: [],
    snapshotMs: [],
    snapshotBytes: 0,
    htmlBytes: 0,
    htmlGzipBytes: 0,
    pageMs: [],
    deltaMs: [],
    longTasksDuringScroll: { count: 0, maxMs: 0 },
    longTasksIdle: { count: 0, maxMs: 0 },
    changeVisibleLiveMs: [],
    changeVisiblePollMs: [],
    chromium: browser.version(),
  };

  // Server side of the feed: the snapshot the page embeds, and the per-second delta.
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const response = await context.request.get("/api/board");
    const body = await response.body();
    if (i > 0) figures.snapshotMs.push(performance.now() - t0);
    figures.snapshotBytes = body.length;
    const snapshot = JSON.parse(body.toString()) as { cursor: string; columns: { queued: { next: string | null } } };
    const t1 = performance.now();
    await context.request.get(`/api/board?since=${encodeURIComponent(snapshot.cursor)}`);
    figures.deltaMs.push(performance.now() - t1);
    const next = snapshot.columns.queued.next;
    if (next) {
      const t2 = performance.now();
      const page = await context.request.get(`/api/board/columns/queued?after=${encodeURIComponent(next)}`);
      if (!page.ok()) throw new Error(`column page: ${page.status()}`);
      if (i > 0) figures.pageMs.push(performance.now() - t2);
    }
  }
  const html = await (await context.request.get("/runs")).body();
  figures.htmlBytes = html.length;
  if (process.env.KANBAN_DUMP) (await import("node:fs")).writeFileSync(process.env.KANBAN_DUMP, html);
  figures.htmlGzipBytes = gzipSync(html).length;

  // Time to first render: navigation start → cards painted, and → hydrated (drag/keys work). One warm-up load.
  for (let i = 0; i <= options.loads; i++) {
    const page = await context.newPage();
    await page.goto("/runs", { waitUntil: "commit" });
    // Polled every animation frame in the page, so the time is the frame the cards appeared in.
    const at = async (selector: string) =>
      (
        await page.waitForFunction((s) => (document.querySelector(s) ? performance.now() : 0), selector, {
          polling: "raf",
          timeout: 60_000,
        })
      ).jsonValue();
    const cards = await at("[data-run-card]");
    const ready = await at('[aria-label="Runs board"][data-ready="true"]');
    if (i > 0) {
      figures.firstCardsMs.push(cards);
      figures.interactiveMs.push(ready);
    }
    figures.cardsInDom = await page.locator("[data-run-card]").count();
    await page.close();
  }

  const page = await context.newPage();
  await page.goto("/runs");
  await page.waitForSelector('[aria-label="Runs board"][data-ready="true"]');
  const idle = await watchLongTasks(page);
  await page.waitForTimeout(3_000);
  figures.longTasksIdle = await idle();

  const scroll = await watchLongTasks(page);
  const queued = page.locator('section[data-column="queued"] > div').last();
  for (let step = 0; step < 20; step++) {
    await queued.evaluate((el) => el.scrollBy(0, 2_000));
    await page.waitForTimeout(50);
  }
  figures.longTasksDuringScroll = await scroll();
  await queued.evaluate((el) => el.scrollTo(0, 0));
  await page.waitForTimeout(300);

  for (let i = 0; i < options.drags; i++) {
    const id = await page.locator('section[data-column="queued"] [data-run-card]').nth(1).getAttribute("data-run-card");
    if (!id) throw new Error("no queued card to drag");
    const timing = await timedDrag(page, id);
    figures.dragLandedMs.push(timing.landed);
    figures.dragConfirmedMs.push(timing.confirmed);
    await page.waitForTimeout(300);
  }

  // "Change visible": a run's state changes in the database (an operator's pause through the
  // API, committed by the server) → its card moves. With the live stream, then polling only.
  const pause = async (id: string) => {
    const response = await context.request.post(`/api/runs/${id}/pause`, { data: {} });
    if (!response.ok()) throw new Error(`pause ${id}: ${response.status()} ${await response.text()}`);
  };
  await page.waitForSelector('[aria-label="Runs board"][data-live="true"]', { timeout: 30_000 });
  figures.changeVisibleLiveMs = await changeLatencies(page, options.changes, pause);
  await page.close();

  const polling = await context.newPage();
  await polling.route("**/api/events", (route) => route.abort());
  await polling.goto("/runs");
  await polling.waitForSelector('[aria-label="Runs board"][data-ready="true"][data-live="false"]');
  figures.changeVisiblePollMs = await changeLatencies(polling, options.changes, pause);
  await browser.close();
  return figures;
}
