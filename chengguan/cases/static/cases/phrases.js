/* 常用语: choosing a stock phrase puts it into the action's reason field (edited in admin). */
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.classList || !select.classList.contains("stock-phrases") || !select.value) return;
  var target = document.getElementById(select.dataset.target);
  if (target) target.value = target.value ? target.value + "；" + select.value : select.value;
  select.value = "";
});
