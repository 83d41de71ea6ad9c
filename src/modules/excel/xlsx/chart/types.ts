// What each chart subclass's new() changes in Chart.pm's defaults (Area.pm ... Stock.pm).
import type { Chart } from './chart';

const BAR_LABELS = { center: 'ctr', inside_base: 'inBase', inside_end: 'inEnd', outside_end: 'outEnd' };
const LINE_LABELS = { center: 'ctr', right: 'r', left: 'l', above: 't', below: 'b', top: 't', bottom: 'b' };
const PIE_LABELS = { center: 'ctr', inside_end: 'inEnd', outside_end: 'outEnd', best_fit: 'bestFit' };

export function applyTypeDefaults(c: Chart): void {
  switch (c.type) {
    case 'area':
      c.subtype = c.subtype || 'standard';
      c.crossBetween = 'midCat';
      c.showCrosses = 0;
      if (c.subtype === 'percent_stacked') c.yAxis._defaults.num_format = '0%';
      c.setYAxis();
      c.labelPositionDefault = 'center';
      c.labelPositions = { center: 'ctr' };
      break;
    case 'bar':
      c.subtype = c.subtype || 'clustered';
      c.catAxisPosition = 'l';
      c.valAxisPosition = 'b';
      c.horizValAxis = 0;
      c.horizCatAxis = 1;
      c.showCrosses = 0;
      c.xAxis._defaults.major_gridlines = { visible: 1 };
      c.yAxis._defaults.major_gridlines = { visible: 0 };
      if (c.subtype === 'percent_stacked') c.xAxis._defaults.num_format = '0%';
      c.setXAxis();
      c.setYAxis();
      c.labelPositionDefault = 'outside_end';
      c.labelPositions = { ...BAR_LABELS };
      break;
    case 'column':
      c.subtype = c.subtype || 'clustered';
      c.horizValAxis = 0;
      if (c.subtype === 'percent_stacked') c.yAxis._defaults.num_format = '0%';
      c.setYAxis();
      c.labelPositionDefault = 'outside_end';
      c.labelPositions = { ...BAR_LABELS };
      break;
    case 'line':
      c.subtype = c.subtype || 'standard';
      c.defaultMarker = { type: 'none' };
      c.smoothAllowed = 1;
      if (c.subtype === 'percent_stacked') c.yAxis._defaults.num_format = '0%';
      c.setYAxis();
      c.labelPositionDefault = 'right';
      c.labelPositions = { ...LINE_LABELS };
      break;
    case 'pie':
    case 'doughnut':
      c.varyDataColor = 1;
      c.rotation = 0;
      c.labelPositionDefault = 'best_fit';
      c.labelPositions = { ...PIE_LABELS };
      if (c.type === 'doughnut') c.holeSize = 50;
      break;
    case 'radar':
      c.subtype = c.subtype || 'marker';
      if (c.subtype === 'marker') c.defaultMarker = { type: 'none' };
      c.xAxis._defaults.major_gridlines = { visible: 1 };
      c.setXAxis();
      c.yAxis._major_tick_mark = 'cross';
      c.labelPositionDefault = 'center';
      c.labelPositions = { center: 'ctr' };
      break;
    case 'scatter':
      c.subtype = c.subtype || 'marker_only';
      c.crossBetween = 'midCat';
      c.horizValAxis = 0;
      c.smoothAllowed = 1;
      c.requiresCategory = 1;
      c.labelPositionDefault = 'right';
      c.labelPositions = { ...LINE_LABELS };
      break;
    case 'stock':
      c.showCrosses = 0;
      c.hiLowLines = {};
      c.dateCategory = 1;
      c.xAxis._defaults.num_format = 'dd/mm/yyyy';
      c.x2Axis._defaults.num_format = 'dd/mm/yyyy';
      c.setXAxis();
      c.setX2Axis();
      c.labelPositionDefault = 'right';
      c.labelPositions = { ...LINE_LABELS };
      break;
  }
}
