document.getElementById("app").textContent = "Concord";
