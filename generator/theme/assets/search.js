/* Search page (/cari/): starts Pagefind's default UI and keeps the query, the filters and the
 * sort order in the address, so a search can be bookmarked, shared and restored on load.
 *   /cari/?q=banjir&provinsi=Jawa+Barat&tahun=2024&urut=terbaru
 * The address is updated with history.replaceState (no history entry per keystroke). */
(function () {
  "use strict";

  var FILTERS = ["wilayah", "provinsi", "kategori", "jenis", "tahun"];
  var root = document.getElementById("cari");
  var headerInput = document.getElementById("portal-cari-q");
  if (!root || typeof window.PagefindUI !== "function") {
    return;
  }

  // The site root, derived from where pagefind-ui.js was loaded (…/pagefind/pagefind-ui.js),
  // so result links work when the portal is served below a path.
  var uiScript = document.querySelector('script[src$="pagefind/pagefind-ui.js"]');
  var bundleUrl = new URL(".", uiScript ? uiScript.src : location.href);
  var baseUrl = new URL("..", bundleUrl).pathname;

  var state = readAddress();
  var sortSelect = document.getElementById("cari-urut");
  var ui = null;
  var mount = null;

  function readAddress() {
    var params = new URLSearchParams(location.search);
    var filters = {};
    FILTERS.forEach(function (name) {
      var values = params.getAll(name).filter(Boolean);
      if (values.length) {
        filters[name] = values;
      }
    });
    return {
      q: (params.get("q") || "").trim(),
      filters: filters,
      sort: params.get("urut") === "terbaru" ? "terbaru" : "",
    };
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (state.q) {
      params.set("q", state.q);
    }
    FILTERS.forEach(function (name) {
      (state.filters[name] || []).forEach(function (value) {
        params.append(name, value);
      });
    });
    if (state.sort) {
      params.set("urut", state.sort);
    }
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : ""));
    if (headerInput) {
      headerInput.value = state.q;
    }
  }

  // Pagefind renders each filter value as a checkbox whose id is "<filter>-<value>" and whose
  // name is the filter; the value text sits in the label (.pagefind-ui__filter-value).
  function readCheckedFilters() {
    var filters = {};
    root.querySelectorAll("input.pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      var name = box.name;
      var value = box.value;
      if (FILTERS.indexOf(name) === -1 || !value) {
        return;
      }
      (filters[name] = filters[name] || []).push(value);
    });
    return filters;
  }

  function start() {
    // Pagefind's sort is fixed when its UI is created, so a new sort means a new UI. The old
    // one is only unmounted, not destroyed: all UIs share one search worker, and destroying
    // the last user before the new UI has claimed it terminates the worker and rejects the
    // pending searches with a console error. An idle UI object per sort switch is cheap.
    var previousMount = mount;
    mount = document.createElement("div");
    root.appendChild(mount);
    ui = new window.PagefindUI({
      element: mount,
      showImages: false,
      showSubResults: false,
      showEmptyFilters: false,
      resetStyles: false,
      excerptLength: 30,
      pageSize: 10,
      sort: state.sort === "terbaru" ? { tanggal: "desc" } : null,
      baseUrl: baseUrl,
      translations: {
        placeholder: "Cari siaran pers, wilayah, topik…",
        search_label: "Cari siaran pers dan wilayah",
        filters_label: "Saring",
      },
    });
    if (previousMount) {
      previousMount.remove();
    }
    labelInput();
    if (Object.keys(state.filters).length) {
      ui.triggerFilters(state.filters);
    }
    if (state.q) {
      ui.triggerSearch(state.q);
    }
  }

  // Pagefind's input has a title and a placeholder but no accessible name of its own; give it
  // one as soon as the UI has mounted it.
  function labelInput(frames) {
    var input = root.querySelector(".pagefind-ui__search-input");
    if (input) {
      input.setAttribute("aria-label", "Kata kunci pencarian");
    } else if ((frames || 0) < 120) {
      window.requestAnimationFrame(function () {
        labelInput((frames || 0) + 1);
      });
    }
  }

  root.addEventListener("input", function (event) {
    if (event.target.classList.contains("pagefind-ui__search-input")) {
      state.q = event.target.value.trim();
      writeAddress();
    }
  });
  root.addEventListener("change", function (event) {
    if (event.target.classList.contains("pagefind-ui__filter-checkbox")) {
      state.filters = readCheckedFilters();
      writeAddress();
    }
  });
  // The clear button empties the query without an input event.
  root.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".pagefind-ui__search-clear")) {
      state.q = "";
      writeAddress();
    }
  });

  if (sortSelect) {
    sortSelect.value = state.sort;
    sortSelect.closest("[hidden]") && sortSelect.closest("[hidden]").removeAttribute("hidden");
    sortSelect.addEventListener("change", function () {
      state.sort = sortSelect.value === "terbaru" ? "terbaru" : "";
      state.filters = readCheckedFilters();
      writeAddress();
      start();
    });
  }

  // Announce the outcome of each search (Pagefind's message is not a live region). Only the
  // final message is copied, after the results settle, so typing is not read out key by key.
  var status = document.getElementById("cari-status");
  if (status && "MutationObserver" in window) {
    var announceTimer = null;
    new MutationObserver(function () {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () {
        var message = root.querySelector(".pagefind-ui__message");
        var text = message ? message.textContent.trim() : "";
        if (text && status.textContent !== text) {
          status.textContent = text;
        }
      }, 600);
    }).observe(root, { childList: true, subtree: true, characterData: true });
  }

  if (headerInput) {
    headerInput.value = state.q;
  }
  start();
})();
