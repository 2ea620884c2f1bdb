// The dashboard's only script (no build step): draws the uPlot charts described by data-chart,
// keeps a running run's progress live by polling data-progress-url, and asks data-confirm first.
(() => {
  const utc = (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC");

  function drawChart(element) {
    const spec = JSON.parse(element.dataset.chart);
    const small = element.dataset.small === "1";
    const unit = spec.unit ? ` ${spec.unit}` : "";
    const options = {
      width: small ? 140 : Math.max(element.clientWidth, 200),
      height: small ? 36 : 180,
      title: small ? undefined : spec.title,
      tzDate: utc,
      legend: { show: !small },
      cursor: { show: !small },
      scales: { x: { time: true }, ...(spec.unit === "%" ? { y: { range: [0, 100] } } : {}) },
      axes: small
        ? [{ show: false }, { show: false }]
        : [{}, { size: 64, values: (_, values) => values.map((v) => `${v}${unit}`) }],
      series: [
        {},
        ...spec.series.map((series) => ({
          label: series.label,
          stroke: series.color,
          width: small ? 1.5 : 2,
          // A lone point has no line: show it.
          points: { show: !small || spec.x.length < 2, size: 4 },
        })),
      ],
    };
    const plot = new uPlot(options, [spec.x, ...spec.series.map((s) => s.values)], element);
    if (!small) {
      new ResizeObserver(() =>
        plot.setSize({ width: Math.max(element.clientWidth, 200), height: options.height }),
      ).observe(element);
    }
  }

  function watchProgress(element) {
    const bar = element.querySelector("progress");
    const text = element.querySelector(".progress-text");
    const timer = setInterval(async () => {
      const response = await fetch(element.dataset.progressUrl, {
        headers: { accept: "application/json" },
      });
      if (!response.ok) return;
      const progress = await response.json();
      text.textContent = progress.text;
      if (progress.total !== null) {
        bar.max = progress.total;
        bar.value = progress.done;
      }
      element.dataset.done = String(progress.done);
      if (progress.status !== "RUNNING") {
        clearInterval(timer);
        // The run ended: show its final record.
        location.reload();
      }
    }, 1000);
  }

  // On a phone, dashboard.css shows each row as a card: every cell says which column it is.
  function labelCells(table) {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        cell.dataset.label = headers[i] ?? "";
      });
    }
    table.closest(".table-wrap")?.classList.add("stacked");
  }

  document.addEventListener("submit", (event) => {
    const question = event.target.dataset.confirm;
    if (question && !confirm(question)) event.preventDefault();
  });
  for (const table of document.querySelectorAll(".table-wrap table")) labelCells(table);
  for (const element of document.querySelectorAll("[data-chart]")) drawChart(element);
  for (const element of document.querySelectorAll("[data-progress-url]")) watchProgress(element);
})();
