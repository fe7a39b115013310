// Buttons marked data-print open the browser's print dialog (print.css lays the page out on A4).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
