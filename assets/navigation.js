/* Clientside callbacks (see callbacks/navigation.py). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  poc: {
    /* A click on a map area or bar: go to the link the figure stored in customdata[0]. */
    openClickedArea: function () {
      const noUpdate = window.dash_clientside.no_update;
      const triggered = window.dash_clientside.callback_context.triggered || [];
      const clicked = triggered.length ? triggered[0].value : null;
      if (!clicked || !clicked.points || !clicked.points.length) {
        return noUpdate;
      }
      const point = clicked.points[0];
      const link = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
      return link ? link : noUpdate;
    },
  },
});
